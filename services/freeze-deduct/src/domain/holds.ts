/**
 * Holds (冻结, 查封): every freeze or seal the hub placed, as the agencies' answers leave it. Pure: an
 * answer's parsed result becomes a `HoldAnswer`, and `applyHoldAnswer` decides the hold's next state by the
 * one table below. No I/O, no clock reads: the answer's day comes in.
 *
 *   轮候 queued     waiting behind earlier holds on the asset (queue position 1, 2, …)
 *   生效 effective  in force (queue position 0)
 *   续行 renewed    in force for a further term (续冻, 续封)
 *   解除 released   lifted by the court (解冻, 解封)
 *   失效 lapsed     ran out unrenewed
 *   扣划 deducted   the whole frozen amount was deducted
 */
import type { ParsedAnswerResult } from '@hub/contracts/answers';
import { type AgencyKind, ASSET_KIND_OF_AGENCY, type HoldMeasure, holdEnd } from '@hub/domain';

export const HOLD_STATES = ['queued', 'effective', 'renewed', 'released', 'lapsed', 'deducted'] as const;
export type HoldState = (typeof HOLD_STATES)[number];

/** What a hold is on: a money account (bank, provident fund), a real-estate unit, a vehicle. */
export type AssetKey = { assetKind: 'account' | 'unit' | 'plate'; assetKey: string };

/**
 * The moves answers may make. A partial deduction leaves the hold where it was (a move to itself); released,
 * lapsed and deducted are final for that hold, and only a new freeze or seal on the asset starts it again.
 */
export const HOLD_MOVES: Readonly<Record<HoldState, readonly HoldState[]>> = {
  queued: ['queued', 'effective', 'renewed', 'released', 'lapsed'],
  effective: ['effective', 'renewed', 'released', 'lapsed', 'deducted'],
  renewed: ['renewed', 'released', 'lapsed', 'deducted'],
  released: [],
  lapsed: [],
  deducted: [],
};

export const isLive = (s: HoldState): boolean => HOLD_MOVES[s].length > 0;
export const canMove = (from: HoldState, to: HoldState): boolean => HOLD_MOVES[from].includes(to);

type Receipt = {
  effective: boolean;
  queuePosition: number;
  from?: string;
  until?: string;
  registrationNo: string;
};

/** What one answer says about one hold. */
export type HoldAnswer = AssetKey &
  (
    | { kind: 'place'; measure: HoldMeasure; receipt: Receipt; requestedFen?: number; frozenFen?: number }
    | { kind: 'renew'; receipt: Receipt }
    | { kind: 'release'; releasedFen?: number }
    | { kind: 'deduct'; deductedFen: number; transferRef: string }
  );

/** The hold an answer is about, read from its parsed result; null for results that touch no hold. */
export function holdAnswerOf(r: ParsedAnswerResult): HoldAnswer | null {
  if (!r.ok) return null;
  switch (r.agency) {
    case 'bank':
    case 'provident-fund': {
      const account = (accountNo: string) => ({ assetKind: 'account', assetKey: accountNo }) as const;
      switch (r.measure) {
        case 'freeze': {
          const v = r.value;
          return {
            ...account(v.accountNo),
            kind: 'place',
            measure: 'freeze',
            receipt: v.receipt,
            requestedFen: v.requestedFen,
            frozenFen: v.frozenFen,
          };
        }
        case 'renew-freeze':
          return { ...account(r.value.accountNo), kind: 'renew', receipt: r.value.receipt };
        case 'release':
          return { ...account(r.value.accountNo), kind: 'release', releasedFen: r.value.releasedFen };
        case 'deduct':
          return {
            ...account(r.value.accountNo),
            kind: 'deduct',
            deductedFen: r.value.deductedFen,
            transferRef: r.value.transferRef,
          };
      }
      return null;
    }
    case 'real-estate':
    case 'public-security': {
      if (r.measure !== 'seal' && r.measure !== 'renew-seal' && r.measure !== 'unseal') return null;
      const key: AssetKey =
        'unitNo' in r.value
          ? { assetKind: 'unit', assetKey: r.value.unitNo }
          : { assetKind: 'plate', assetKey: r.value.plate };
      const receipt = r.value.receipt;
      if (r.measure === 'seal') return { ...key, kind: 'place', measure: 'seal', receipt };
      if (r.measure === 'renew-seal') return { ...key, kind: 'renew', receipt };
      return { ...key, kind: 'release' };
    }
  }
  return null;
}

export interface Hold extends AssetKey {
  measure: HoldMeasure;
  state: HoldState;
  queuePosition: number;
  requestedFen: number | null;
  /** Money held now: what the freeze froze, less what was released or deducted since. */
  frozenFen: number;
  deductedFen: number;
  termFrom: string | null;
  termUntil: string | null;
  registrationNo: string;
}

export type HoldDecision =
  | { ok: true; hold: Hold }
  | { ok: false; code: 'NO_SUCH_HOLD' | 'HOLD_ENDED' | 'MOVE_NOT_ALLOWED' };

export interface AnswerContext {
  agency: AgencyKind;
  /** The day the institution answered (Asia/Shanghai, YYYY-MM-DD). */
  day: string;
  /** The term the notice asked for; the legal maximum for the asset kind when absent. */
  termDays?: number | undefined;
  /** The amount the notice named: for a release, only that much of the hold (a partial 解冻). */
  amountFen?: number | undefined;
}

/**
 * The term a receipt registers; where the agency does not state it, the term the hub asked for from the
 * day the hold took effect (法释〔2015〕5号 art. 487, `holdEnd`). A queued hold has no term yet: it starts
 * when the hold takes effect.
 */
function termOf(receipt: Receipt, ctx: AnswerContext): { termFrom: string | null; termUntil: string | null } {
  if (!receipt.effective) return { termFrom: receipt.from ?? null, termUntil: receipt.until ?? null };
  const termFrom = receipt.from ?? ctx.day;
  if (receipt.until) return { termFrom, termUntil: receipt.until };
  const end = holdEnd(termFrom, ASSET_KIND_OF_AGENCY[ctx.agency], ctx.termDays);
  return { termFrom, termUntil: end.ok ? end.lastDay : null };
}

const stateOf = (receipt: Receipt): HoldState => (receipt.effective ? 'effective' : 'queued');

/** The hold after `answer`, or why the answer cannot apply to it. */
export function applyHoldAnswer(
  current: Hold | undefined,
  answer: HoldAnswer,
  ctx: AnswerContext,
): HoldDecision {
  const key = { assetKind: answer.assetKind, assetKey: answer.assetKey };
  if (answer.kind === 'place') {
    const next = stateOf(answer.receipt);
    // A placement on a live hold of the same case only moves it forward (轮候 → in effect).
    if (current && isLive(current.state) && !canMove(current.state, next))
      return { ok: false, code: 'MOVE_NOT_ALLOWED' };
    return {
      ok: true,
      hold: {
        ...key,
        measure: answer.measure,
        state: next,
        queuePosition: answer.receipt.queuePosition,
        requestedFen: answer.requestedFen ?? null,
        frozenFen: answer.frozenFen ?? 0,
        deductedFen: current && isLive(current.state) ? current.deductedFen : 0,
        ...termOf(answer.receipt, ctx),
        registrationNo: answer.receipt.registrationNo,
      },
    };
  }
  if (!current) return { ok: false, code: 'NO_SUCH_HOLD' };
  if (!isLive(current.state)) return { ok: false, code: 'HOLD_ENDED' };
  const move = (state: HoldState, patch: Partial<Hold>): HoldDecision =>
    canMove(current.state, state)
      ? { ok: true, hold: { ...current, ...patch, state } }
      : { ok: false, code: 'MOVE_NOT_ALLOWED' };
  switch (answer.kind) {
    case 'renew': {
      const term = termOf(answer.receipt, ctx);
      return move(answer.receipt.effective ? 'renewed' : 'queued', {
        queuePosition: answer.receipt.queuePosition,
        termFrom: term.termFrom ?? current.termFrom,
        termUntil: term.termUntil ?? current.termUntil,
      });
    }
    case 'release': {
      // A partial release lifts what the agency says it released and cuts the claim to what stays frozen
      // (the court held more than it needs); a hold holding nothing is untouched by it.
      if (ctx.amountFen === undefined || answer.releasedFen === undefined)
        return move('released', { frozenFen: 0, queuePosition: 0 });
      if (current.frozenFen === 0) return move(current.state, {});
      const frozenFen = Math.max(0, current.frozenFen - answer.releasedFen);
      if (frozenFen === 0) return move('released', { frozenFen: 0, queuePosition: 0 });
      return move(current.state, { frozenFen, requestedFen: current.deductedFen + frozenFen });
    }
    case 'deduct': {
      const frozenFen = Math.max(0, current.frozenFen - answer.deductedFen);
      const deductedFen = current.deductedFen + answer.deductedFen;
      // A freeze that found only part of its amount keeps its rank for the rest: it is spent only once its
      // whole claim is paid (or nothing more was claimed than was frozen).
      const spent = frozenFen === 0 && (current.requestedFen === null || deductedFen >= current.requestedFen);
      return move(spent ? 'deducted' : current.state, { frozenFen, deductedFen });
    }
  }
}
