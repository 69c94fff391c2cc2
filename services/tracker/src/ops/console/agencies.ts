import { type AgencyRow, getJson } from './api.ts';
import { $, bars, duration, el, widthOf } from './dom.ts';
import { label, t } from './i18n.ts';
import { state } from './state.ts';

export async function loadAgencies(): Promise<void> {
  const res = await getJson<{ agencies: AgencyRow[]; windowDays: number }>('/v1/ops/agencies');
  state.agencies = res.agencies;
  state.windowDays = res.windowDays;
  renderAgencies();
}

export function renderAgencies(): void {
  $('agencies-hint').textContent = t('agenciesHint').replace('{days}', String(state.windowDays));
  const rows = state.agencies || [];
  const maxBacklog = Math.max(0, ...rows.map((r) => r.backlog));
  const maxTime = Math.max(0, ...rows.map((r) => r.p95Seconds || 0));
  $('agency-rows').replaceChildren(
    ...rows.map((r) =>
      el(
        'tr',
        { testid: 'agency-row', 'data-agency': r.agency, 'data-institution': r.institution },
        el('td', {}, label('agency', r.agency)),
        el('td', {}, r.institution),
        el(
          'td',
          {},
          el(
            'span',
            { class: 'cell-bar' },
            bars(`${t('backlog')} ${r.backlog}, ${t('openBreaches')} ${r.openBreaches}`, [
              ['backlog', widthOf(r.backlog, maxBacklog)],
              ['breach-fill', widthOf(r.openBreaches, maxBacklog)],
            ]),
            el('span', { testid: 'agency-backlog' }, String(r.backlog)),
          ),
        ),
        el('td', { class: 'num', testid: 'agency-breaches' }, String(r.openBreaches)),
        el('td', { class: 'num' }, String(r.answered)),
        el(
          'td',
          {},
          el(
            'span',
            { class: 'cell-bar' },
            bars(`p50 ${duration(r.p50Seconds)} / p95 ${duration(r.p95Seconds)}`, [
              ['p95', widthOf(r.p95Seconds, maxTime)],
              ['p50', widthOf(r.p50Seconds, maxTime)],
            ]),
            el('span', { testid: 'agency-times' }, `${duration(r.p50Seconds)} / ${duration(r.p95Seconds)}`),
          ),
        ),
        el('td', { class: 'num' }, String(r.refusals)),
      ),
    ),
  );
  $('agencies-empty').hidden = rows.length > 0;
}
