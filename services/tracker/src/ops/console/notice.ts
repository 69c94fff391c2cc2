import { getJson, HttpError, type NoticeSummary, type NoticeView } from './api.ts';
import { $, el, showError, time } from './dom.ts';
import { label, t } from './i18n.ts';
import { state } from './state.ts';

/** Timeline entries shown as trouble: a missed deadline, and a hold lost for want of renewal. */
const BAD_EVENTS = ['RequestBreached', 'RequestEscalated', 'HoldLapsed'];

export async function search(q: string): Promise<void> {
  const { notices } = await getJson<{ notices: NoticeSummary[] }>(
    `/v1/ops/notices?limit=50&q=${encodeURIComponent(q)}`,
  );
  state.results = notices;
  renderResults();
}

export function renderResults(): void {
  const list = $('search-results');
  if (state.results === null) {
    list.replaceChildren();
    return;
  }
  if (state.results.length === 0) {
    list.replaceChildren(el('li', { class: 'empty' }, t('noResults')));
    return;
  }
  list.replaceChildren(
    ...state.results.map((n) =>
      el(
        'li',
        {},
        el(
          'button',
          {
            type: 'button',
            class: 'link result',
            testid: 'search-result',
            'data-notice-id': n.id,
            onclick: () => showNotice(n.id),
          },
          el(
            'div',
            {},
            n.noticeNo || n.id,
            ' ',
            n.breached ? el('span', { class: 'badge' }, t('breached')) : null,
          ),
          el(
            'div',
            { class: 'meta' },
            [
              n.caseNo,
              n.courtCode,
              label('measure', n.measure),
              label('noticeStatus', n.status),
              n.debtorMasked,
            ]
              .filter(Boolean)
              .join(' · '),
          ),
        ),
      ),
    ),
  );
}

export async function openNotice(id: string): Promise<void> {
  state.noticeId = id;
  try {
    const view = await getJson<NoticeView>(`/v1/ops/notices/${encodeURIComponent(id)}`);
    if (state.noticeId !== id) return;
    state.notice = view;
    state.noticeError = false;
  } catch (err) {
    if (state.noticeId !== id) return;
    if (!(err instanceof HttpError) || err.status !== 404) throw err;
    state.notice = null;
    state.noticeError = true;
  }
  renderNotice();
  history.replaceState(null, '', `#notice=${encodeURIComponent(id)}`);
}

export const showNotice = (id: string): void => void openNotice(id).catch(showError);

function closeNotice(): void {
  state.noticeId = null;
  state.notice = null;
  renderNotice();
  history.replaceState(null, '', location.pathname);
}

export function renderNotice(): void {
  const box = $('notice');
  box.hidden = state.noticeId === null;
  if (box.hidden) {
    box.replaceChildren();
    return;
  }
  const head = (title: string) =>
    el(
      'div',
      { class: 'notice-head' },
      el('h3', { testid: 'notice-title' }, title),
      el(
        'button',
        { type: 'button', class: 'link', testid: 'notice-close', onclick: closeNotice },
        t('close'),
      ),
    );
  const n = state.notice;
  if (!n) {
    box.replaceChildren(head(t('notFound')));
    return;
  }
  const institutionOf = new Map(n.requests.map((r) => [r.id, r.institution]));
  box.replaceChildren(
    head(n.noticeNo || n.id),
    el(
      'dl',
      {},
      el('dt', {}, t('caseNo')),
      el('dd', { testid: 'notice-case' }, n.caseNo || '—'),
      el('dt', {}, t('court')),
      el('dd', {}, n.courtCode || '—'),
      el('dt', {}, t('measure')),
      el('dd', {}, label('measure', n.measure)),
      el('dt', {}, t('status')),
      el(
        'dd',
        {},
        label('noticeStatus', n.status),
        ' ',
        n.breached ? el('span', { class: 'badge' }, t('breached')) : null,
      ),
      el('dt', {}, t('issuedAt')),
      el('dd', {}, time(n.issuedAt)),
      el('dt', {}, t('completedAt')),
      el('dd', {}, time(n.completedAt)),
    ),
    el('h4', {}, t('requests')),
    el(
      'table',
      {},
      el(
        'thead',
        {},
        el(
          'tr',
          {},
          ...['agency', 'institution', 'status', 'due', 'answeredAt', 'outcome'].map((k) =>
            el('th', {}, t(k)),
          ),
        ),
      ),
      el(
        'tbody',
        {},
        ...n.requests.map((r) =>
          el(
            'tr',
            { testid: 'request-row', 'data-request-id': r.id },
            el('td', {}, label('agency', r.agency)),
            el('td', {}, r.institution),
            el(
              'td',
              {},
              label('requestStatus', r.status),
              ' ',
              r.breached ? el('span', { class: 'badge' }, t('breached')) : null,
            ),
            el('td', {}, time(r.dueAt)),
            el('td', {}, time(r.answeredAt)),
            el(
              'td',
              {},
              [r.outcome && label('requestStatus', r.outcome), r.reason].filter(Boolean).join(': '),
            ),
          ),
        ),
      ),
    ),
    ...restrictionsOf(n),
    el('h4', {}, t('timeline')),
    el(
      'ol',
      { class: 'timeline', testid: 'timeline' },
      ...n.timeline.map((e) =>
        el(
          'li',
          {
            testid: 'timeline-entry',
            'data-event': e.event,
            class: BAD_EVENTS.includes(e.event) ? 'bad' : null,
          },
          time(e.at),
          el('span', {}, label('event', e.event)),
          el(
            'span',
            {},
            e.event === 'NoticeIssued' && e.detail
              ? label('measure', e.detail)
              : e.detail || (e.requestId && institutionOf.get(e.requestId)) || '',
          ),
        ),
      ),
    ),
  );
}

/** The listings and restrictions in force on the notice's case, when there are any. */
function restrictionsOf(n: NoticeView): HTMLElement[] {
  const rows = n.restrictions || [];
  if (rows.length === 0) return [];
  return [
    el('h4', {}, t('restrictions')),
    el(
      'table',
      { testid: 'restrictions' },
      el(
        'thead',
        {},
        el('tr', {}, ...['measure', 'boundRole', 'since', 'endsAt'].map((k) => el('th', {}, t(k)))),
      ),
      el(
        'tbody',
        {},
        ...rows.map((r) =>
          el(
            'tr',
            { testid: 'restriction-row', 'data-entry-id': r.entryId, 'data-measure': r.measure },
            el('td', {}, label('measure', r.measure)),
            el('td', {}, label('role', r.role)),
            el('td', {}, time(r.since)),
            el('td', {}, r.endsAt ? time(r.endsAt) : t('noTerm')),
          ),
        ),
      ),
    ),
  ];
}
