import { getJson, type LatePunishment, type LatePunishmentPage } from './api.ts';
import { $, el, showError, time } from './dom.ts';
import { label, t } from './i18n.ts';
import { showNotice } from './notice.ts';
import { state } from './state.ts';

const order = (a: LatePunishment, b: LatePunishment) =>
  a.dueAt === b.dueAt ? (a.requestId < b.requestId ? 1 : -1) : a.dueAt < b.dueAt ? 1 : -1;

/**
 * Punishment notices confirmed late, or still unconfirmed past their deadline, per institution (newest
 * deadline first). The first page is re-read on every refresh and merged with older pages already shown.
 */
export async function loadLatePunishments(cursor?: string): Promise<void> {
  const page = await getJson<LatePunishmentPage>(
    `/v1/ops/punishments/late?limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
  );
  const byId = new Map((state.latePunishments || []).map((p) => [p.requestId, p]));
  for (const p of page.late) byId.set(p.requestId, p);
  state.latePunishments = [...byId.values()].sort(order);
  if (cursor || state.latePunishmentsCursor === null) state.latePunishmentsCursor = page.nextCursor;
  renderLatePunishments();
}

function lateRow(p: LatePunishment): HTMLElement {
  return el(
    'tr',
    {
      testid: 'late-punishment-row',
      'data-request-id': p.requestId,
      'data-missing': p.missing ? 'true' : 'false',
    },
    el(
      'td',
      {},
      el(
        'button',
        {
          type: 'button',
          class: 'link',
          testid: 'late-punishment-case',
          onclick: () => showNotice(p.noticeId),
        },
        p.caseNo || p.noticeId,
      ),
    ),
    el('td', {}, label('measure', p.measure)),
    el('td', { testid: 'late-punishment-institution' }, `${label('agency', p.agency)} · ${p.institution}`),
    el('td', {}, time(p.dueAt)),
    el(
      'td',
      {},
      p.missing
        ? el('span', { class: 'badge', testid: 'badge-missing' }, t('confirmationMissing'))
        : el(
            'span',
            {},
            el('span', { class: 'badge late', testid: 'badge-confirmed-late' }, t('confirmedLate')),
            ' ',
            time(p.confirmedAt),
          ),
    ),
  );
}

export function renderLatePunishments(): void {
  const rows = state.latePunishments || [];
  $('late-punishment-rows').replaceChildren(...rows.map(lateRow));
  const count = $('late-punishment-count');
  count.textContent = String(rows.length) + (state.latePunishmentsCursor ? '+' : '');
  count.toggleAttribute('data-zero', rows.length === 0);
  $('late-punishments-empty').hidden = rows.length > 0;
  $('late-punishments-more').hidden = state.latePunishmentsCursor === null;
}

export function wireLatePunishments(): void {
  $('late-punishments-more').addEventListener('click', () => {
    if (state.latePunishmentsCursor !== null)
      loadLatePunishments(state.latePunishmentsCursor).catch(showError);
  });
}
