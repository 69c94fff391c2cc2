import { type Breach, getJson } from './api.ts';
import { $, el, time } from './dom.ts';
import { label, t } from './i18n.ts';
import { showNotice } from './notice.ts';
import { type ListedBreach, state } from './state.ts';

export const MAX_BREACHES = 200;

/** Open and breached, or answered late: what the live list shows. */
export const isListed = (b: Breach): boolean => Boolean((b.open && b.breachedAt) || b.late);
const sortKey = (b: Breach) => Date.parse(b.breachedAt || b.dueAt || '') || 0;

export async function loadBreaches(): Promise<void> {
  const asked = performance.now();
  const { breaches } = await getJson<{ breaches: Breach[] }>(`/v1/ops/breaches?limit=${MAX_BREACHES}`);
  const next = new Map<string, ListedBreach>(breaches.map((b) => [b.requestId, b]));
  // What the stream brought while the snapshot was being read is newer than the snapshot.
  for (const [id, b] of state.breaches) if ((b.seenAt ?? 0) > asked) next.set(id, b);
  for (const [id, b] of next) if (!isListed(b)) next.delete(id);
  state.breaches = next;
  renderBreaches();
}

export function renderBreaches(): void {
  const items = [...state.breaches.values()].sort((a, b) => sortKey(b) - sortKey(a)).slice(0, MAX_BREACHES);
  $('breach-list').replaceChildren(...items.map(breachRow));
  const open = items.filter((b) => b.open).length;
  const count = $('breach-count');
  count.textContent = String(open);
  count.toggleAttribute('data-zero', open === 0);
  $('breach-empty').hidden = items.length > 0;
}

function breachRow(b: ListedBreach): HTMLElement {
  const cls = ['breach', b.open ? '' : 'answered', state.fresh.has(b.requestId) ? 'fresh' : ''];
  return el(
    'li',
    {
      class: cls.filter(Boolean).join(' '),
      testid: 'breach-row',
      'data-request-id': b.requestId,
      'data-notice-id': b.noticeId,
      'data-escalated': b.escalatedAt ? 'true' : 'false',
    },
    el(
      'div',
      { class: 'top' },
      el('span', { class: 'agency' }, label('agency', b.agency)),
      el('span', { class: 'inst', testid: 'breach-institution' }, b.institution),
      b.escalatedAt ? el('span', { class: 'badge', testid: 'badge-escalated' }, t('escalated')) : null,
      b.late ? el('span', { class: 'badge late', testid: 'badge-late' }, t('lateAnswer')) : null,
    ),
    el(
      'button',
      { type: 'button', class: 'link', testid: 'breach-case', onclick: () => showNotice(b.noticeId) },
      b.caseNo || b.noticeNo || b.noticeId,
    ),
    el(
      'div',
      { class: 'times' },
      `${t('due')} `,
      time(b.dueAt),
      b.breachedAt ? [' · ', `${t('breachedAt')} `, time(b.breachedAt)] : null,
      b.escalatedAt ? [' · ', `${t('escalatedAt')} `, time(b.escalatedAt)] : null,
      b.answeredAt ? [' · ', `${t('answeredAt')} `, time(b.answeredAt)] : null,
    ),
  );
}
