/**
 * Freeze, renew, release and deduct at a bank or provident-fund centre (same shapes, docs/agency-answers.md).
 *
 * With `accountNo` the measure acts on that account, which must be the debtor's. Without it, the measure
 * acts on the debtor's accounts at this institution in opening order:
 *   - freeze: each account is frozen for what is available on it until the amount is covered; if nothing at
 *     all is available the whole amount is queued (轮候) on the first account; a shortfall after some money
 *     was frozen is not queued (the answer is partial and says so);
 *   - deduct: out of this court's frozen money for the case, account by account, up to the amount;
 *   - renew, release: every account holding a freeze of this court for the case.
 * The result has one account's shape (docs): the first account acted on, with `requestedFen` the amount the
 * request asked for. When several accounts were touched, `reason` lists each (`accountNo: fen`) and the total.
 */
import type { AccountView, FreezeReceipt, MoneyLedger } from '../ledgers/money-ledger.js';
import type { LedgerErrorCode, LedgerResult } from '../ledgers/types.js';
import { type AgencyAnswer, cannotAssist, clip, type Served } from './types.js';

const REASONS: Record<LedgerErrorCode, string> = {
  NO_SUCH_ACCOUNT: 'no such account',
  NO_SUCH_ASSET: 'no such asset',
  NO_SUCH_HOLD:
    'no running freeze of this court for this case on the account (never made, released or lapsed)',
  NOTHING_FROZEN: 'nothing frozen by this court for this case on the account',
  INVALID_AMOUNT: 'amountFen must be a positive integer number of fen',
  INVALID_TERM: 'termDays must be a positive integer',
};

export const reasonFor = (code: LedgerErrorCode) => REASONS[code];

type Ledger = MoneyLedger<unknown>;
const isAmount = (fen: unknown): fen is number =>
  typeof fen === 'number' && Number.isSafeInteger(fen) && fen > 0;
const unwrap = <T>(r: LedgerResult<T>): T | undefined => (r.ok ? r.value : undefined);

/** The accounts a request acts on: the named one (if the debtor's), or all of the debtor's. */
function targets(ledger: Ledger, s: Served): AccountView<unknown>[] | AgencyAnswer {
  const accounts = ledger.accountsOf(s.subjectId, s.now);
  if (accounts.length === 0) return cannotAssist('the debtor has no account at this institution');
  const named = s.request.params?.accountNo;
  if (named === undefined) return accounts;
  const account = accounts.find((a) => a.accountNo === named);
  return account ? [account] : cannotAssist('no such account');
}

const mine = (a: AccountView<unknown>, s: Served) =>
  a.holds.filter((h) => h.court === s.court && h.caseNo === s.request.caseNo);
const idFor = (s: Served, accountNo: string, many: boolean) =>
  many ? `${s.request.id}#${accountNo}` : s.request.id;

function breakdown(
  parts: readonly { accountNo: string; fen: number }[],
  totalFen: number,
  what: string,
): string | undefined {
  if (parts.length < 2) return undefined;
  return `${what} across ${parts.length} accounts: ${parts.map((p) => `${p.accountNo}: ${p.fen}`).join('; ')}; total ${totalFen} fen`;
}

function joined(...reasons: (string | undefined)[]): string | undefined {
  const text = reasons.filter(Boolean).join('. ');
  return text ? clip(text) : undefined;
}

export function freezeAnswer(ledger: Ledger, s: Served, termDays: number): AgencyAnswer {
  const amountFen = s.request.params?.amountFen;
  if (!isAmount(amountFen)) return cannotAssist(reasonFor('INVALID_AMOUNT'));
  const accounts = targets(ledger, s);
  if (!Array.isArray(accounts)) return accounts;
  const base = { court: s.court, caseNo: s.request.caseNo, termDays, at: s.now };
  const many = s.request.params?.accountNo === undefined;
  const receipts: FreezeReceipt[] = [];
  let left = amountFen;
  for (const a of accounts) {
    const available = a.balanceFen - a.frozenFen;
    if (!many || (left > 0 && available > 0)) {
      const ask = many ? Math.min(left, available) : amountFen;
      const r = ledger.freeze({
        ...base,
        requestId: idFor(s, a.accountNo, many),
        accountNo: a.accountNo,
        amountFen: ask,
      });
      if (!r.ok) return cannotAssist(reasonFor(r.code));
      receipts.push(r.value);
      left -= r.value.frozenFen;
    }
  }
  if (receipts.length === 0) {
    // Nothing available anywhere: the whole amount waits in line on the first account.
    const first = accounts[0]!;
    const r = ledger.freeze({
      ...base,
      requestId: idFor(s, first.accountNo, many),
      accountNo: first.accountNo,
      amountFen,
    });
    if (!r.ok) return cannotAssist(reasonFor(r.code));
    receipts.push(r.value);
  }
  const first = receipts[0]!;
  const frozenFen = amountFen - left;
  const result = { ...first, requestedFen: amountFen };
  const parts = breakdown(
    receipts.map((r) => ({ accountNo: r.accountNo, fen: r.frozenFen })),
    frozenFen,
    'frozen',
  );
  if (frozenFen === amountFen) return { outcome: 'done', result, ...(parts ? { reason: clip(parts) } : {}) };
  const why = !first.receipt.effective
    ? `nothing available: queued (轮候) at position ${first.receipt.queuePosition}`
    : many
      ? `only ${frozenFen} of ${amountFen} fen available; the shortfall is not queued`
      : `only ${frozenFen} of ${amountFen} fen available; the freeze keeps its rank for the rest`;
  return { outcome: 'partial', result, reason: joined(why, parts)! };
}

export function renewAnswer(ledger: Ledger, s: Served, termDays: number): AgencyAnswer {
  const accounts = targets(ledger, s);
  if (!Array.isArray(accounts)) return accounts;
  const held = accounts.filter((a) => mine(a, s).length > 0);
  if (held.length === 0) return cannotAssist(reasonFor('NO_SUCH_HOLD'));
  const many = s.request.params?.accountNo === undefined;
  const receipts = held.map((a) =>
    ledger.renew({
      requestId: idFor(s, a.accountNo, many),
      accountNo: a.accountNo,
      court: s.court,
      caseNo: s.request.caseNo,
      termDays,
      at: s.now,
    }),
  );
  const done = receipts.map(unwrap).filter((r) => r !== undefined);
  if (done.length === 0) return cannotAssist(reasonFor('NO_SUCH_HOLD'));
  const first = done[0]!;
  const asked = s.request.params?.amountFen;
  const renewedFen = done.reduce((t, r) => t + r.frozenFen, 0);
  const queued = first.receipt.effective
    ? undefined
    : `the freeze is queued (轮候) at position ${first.receipt.queuePosition}; its term starts when it takes effect`;
  // A renewal extends the freezes as they stand (money-ledger.ts); a differing amount is noted, not applied.
  const differs =
    asked !== undefined && asked !== renewedFen
      ? `renewed as frozen: ${renewedFen} fen (request named ${asked} fen)`
      : undefined;
  const parts = breakdown(
    done.map((r) => ({ accountNo: r.accountNo, fen: r.frozenFen })),
    renewedFen,
    'renewed',
  );
  const reason = joined(queued, differs, parts);
  return { outcome: 'done', result: first, ...(reason ? { reason } : {}) };
}

export function releaseAnswer(ledger: Ledger, s: Served): AgencyAnswer {
  const accounts = targets(ledger, s);
  if (!Array.isArray(accounts)) return accounts;
  const held = accounts.filter((a) => mine(a, s).length > 0);
  if (held.length === 0) return cannotAssist(reasonFor('NO_SUCH_HOLD'));
  const many = s.request.params?.accountNo === undefined;
  const released = held
    .map((a) =>
      ledger.release({
        requestId: idFor(s, a.accountNo, many),
        accountNo: a.accountNo,
        court: s.court,
        caseNo: s.request.caseNo,
        amountFen: many ? undefined : s.request.params?.amountFen,
        at: s.now,
      }),
    )
    .map(unwrap)
    .filter((r) => r !== undefined);
  if (released.length === 0) return cannotAssist(reasonFor('NO_SUCH_HOLD'));
  const parts = breakdown(
    released.map((r) => ({ accountNo: r.accountNo, fen: r.releasedFen })),
    released.reduce((t, r) => t + r.releasedFen, 0),
    'released',
  );
  return { outcome: 'done', result: released[0], ...(parts ? { reason: clip(parts) } : {}) };
}

export function deductAnswer(ledger: Ledger, s: Served): AgencyAnswer {
  const amountFen = s.request.params?.amountFen;
  if (!isAmount(amountFen)) return cannotAssist(reasonFor('INVALID_AMOUNT'));
  const accounts = targets(ledger, s);
  if (!Array.isArray(accounts)) return accounts;
  const many = s.request.params?.accountNo === undefined;
  const held = accounts.filter((a) =>
    mine(a, s).some((h) => h.queuePosition === 0 && (h.amountFen ?? 0) > 0),
  );
  if (held.length === 0)
    return cannotAssist(
      reasonFor(accounts.some((a) => mine(a, s).length > 0) ? 'NOTHING_FROZEN' : 'NO_SUCH_HOLD'),
    );
  let left = amountFen;
  const done = [];
  for (const a of held) {
    if (left === 0) break;
    const r = ledger.deduct({
      requestId: idFor(s, a.accountNo, many),
      accountNo: a.accountNo,
      court: s.court,
      caseNo: s.request.caseNo,
      amountFen: left,
      at: s.now,
    });
    if (!r.ok) continue;
    done.push(r.value);
    left -= r.value.deductedFen;
  }
  if (done.length === 0) return cannotAssist(reasonFor('NOTHING_FROZEN'));
  const deducted = amountFen - left;
  const result = { ...done[0]!, requestedFen: amountFen };
  const parts = breakdown(
    done.map((r) => ({ accountNo: r.accountNo, fen: r.deductedFen })),
    deducted,
    'deducted',
  );
  if (deducted === amountFen) return { outcome: 'done', result, ...(parts ? { reason: clip(parts) } : {}) };
  return {
    outcome: 'partial',
    result,
    reason: joined(`only ${deducted} of ${amountFen} fen was frozen by this court for this case`, parts)!,
  };
}
