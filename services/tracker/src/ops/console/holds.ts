import { type ExpiringHold, getJson } from './api.ts';
import { $, el } from './dom.ts';
import { label, t } from './i18n.ts';
import { showNotice } from './notice.ts';
import { state } from './state.ts';

/** Holds running out unless renewed, across all courts, and those lapsed lately (soonest deadline first). */
export async function loadHolds(): Promise<void> {
  const { holds } = await getJson<{ holds: ExpiringHold[] }>('/v1/ops/holds/expiring?limit=200');
  state.holds = holds;
  renderHolds();
}

function holdRow(h: ExpiringHold): HTMLElement {
  return el(
    'tr',
    {
      testid: 'hold-row',
      class: h.lapsed ? 'lapsed' : null,
      'data-hold-id': h.holdId,
      'data-lapsed': h.lapsed ? 'true' : 'false',
    },
    el(
      'td',
      {},
      el(
        'button',
        { type: 'button', class: 'link', testid: 'hold-case', onclick: () => showNotice(h.noticeId) },
        h.caseNo,
      ),
    ),
    el('td', {}, `${label('agency', h.agency)} · ${h.institution}`),
    el('td', { class: 'mono' }, h.asset),
    el('td', { class: 'mono', title: h.lapsesAt }, h.termUntil),
    el('td', { class: 'num', testid: 'hold-days-left' }, h.daysLeft),
    el(
      'td',
      {},
      h.lapsed
        ? el('span', { class: 'badge', testid: 'badge-lapsed' }, t('holdLapsed'))
        : el('span', { class: 'badge late', testid: 'badge-expiring' }, t('holdExpiring')),
    ),
  );
}

export function renderHolds(): void {
  const rows = state.holds || [];
  $('hold-rows').replaceChildren(...rows.map(holdRow));
  const count = $('hold-count');
  count.textContent = String(rows.length);
  count.toggleAttribute('data-zero', rows.length === 0);
  $('holds-empty').hidden = rows.length > 0;
}
