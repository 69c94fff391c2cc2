/**
 * The domain's request lifecycle spelled in SQL, once. The read model keeps `status_rank`
 * (requestStatusRank: pending 0 < delivered 1 < acknowledged 2 < terminal 3) so that late events never undo
 * later ones; "open" and "breached" are derived here from @hub/domain (OPEN_REQUEST_STATUSES, isBreached) and
 * every query uses these fragments instead of comparing ranks by hand. `a` is the requests table's alias
 * (`''` for unqualified columns).
 */
import { OPEN_REQUEST_STATUSES, REQUEST_STATUSES, requestStatusRank } from '@hub/domain';

/** The rank every terminal status has, checked against the domain's open statuses at load. */
export const TERMINAL_RANK = Math.min(
  ...REQUEST_STATUSES.filter((s) => !OPEN_REQUEST_STATUSES.includes(s)).map(requestStatusRank),
);
if (OPEN_REQUEST_STATUSES.some((s) => requestStatusRank(s) >= TERMINAL_RANK)) {
  throw new Error('request-status: an open status ranks with the terminal ones');
}

const col = (a: string, name: string) => (a ? `${a}.${name}` : name);

/** Still open (not yet answered): domain `isOpenRequest`. */
export const openSql = (a: string) => `${col(a, 'status_rank')} < ${TERMINAL_RANK}`;

/** Closed: answered, failed or cancelled. */
export const closedSql = (a: string) => `${col(a, 'status_rank')} >= ${TERMINAL_RANK}`;

/** A status move up the lifecycle: `to` ranks above `from` (a late lower event never undoes a higher one). */
export const ranksAboveSql = (to: string, from: string) => `${to}.status_rank > ${from}.status_rank`;

/** Breached at `now` (a SQL expression): domain `isBreached`, i.e. open past its deadline or answered late. */
export const breachedSql = (a: string, now: string) =>
  `(${col(a, 'due_at')} IS NOT NULL AND CASE WHEN ${openSql(a)} THEN ${col(a, 'due_at')} < ${now}
    ELSE ${col(a, 'answered_at')} > ${col(a, 'due_at')} END)`;
