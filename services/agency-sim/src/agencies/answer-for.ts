/**
 * The mock agencies' back office: turns one inbox request into the answer a partner would give, against
 * the institution's own books (docs/agency-answers.md). Pure and deterministic: time comes in as `now`,
 * the books are the `AgencyLedgers` passed in, and a redelivered request gets the answer it got first.
 * Refusals (拒绝协助) are the caller's to simulate; this never refuses on its own.
 */
import {
  AGENCY_MEASURES,
  type AgencyKind,
  ASSET_KIND_OF_AGENCY,
  agencySupports,
  isMeasure,
  type Measure,
  maxTermDays,
  termRulesAt,
} from '@hub/domain';
import { deepFreeze } from '../ledgers/receipt-log.js';
import type { AgencyLedgers, JournalEntry } from './agency-ledgers.js';
import { deductAnswer, freezeAnswer, releaseAnswer, renewAnswer } from './money-answers.js';
import {
  locateAnswer,
  publicSecurityQuery,
  restrictExitAnswer,
  restrictExitLiftAnswer,
} from './public-security-answers.js';
import { punishmentAnswer } from './punishment-answers.js';
import { sealAnswer } from './seal-answers.js';
import { type AgencyAnswer, type AgencyRequest, cannotAssist, type Served } from './types.js';

const PUNISHMENTS = [
  'dishonest-list',
  'dishonest-list-removal',
  'restrict-consumption',
  'restrict-consumption-lift',
] as const;
const isPunishment = (m: Measure): m is (typeof PUNISHMENTS)[number] =>
  (PUNISHMENTS as readonly Measure[]).includes(m);

export function answerFor(
  kind: AgencyKind,
  institution: string,
  request: AgencyRequest,
  ledgers: AgencyLedgers,
  now: Date,
): AgencyAnswer {
  return ledgers.answerOnce({ kind, institution, request, at: now.toISOString() }, () =>
    deepFreeze(decide(kind, institution, request, ledgers, now)),
  );
}

/**
 * Rebuilds books from their journal (`AgencyLedgers.journal`): `ledgers` must be fresh books of the same
 * seed (and the same directly opened accounts); each request is decided again at its time, in order.
 */
export function replayJournal(ledgers: AgencyLedgers, journal: readonly JournalEntry[]): void {
  for (const e of journal) answerFor(e.kind, e.institution, e.request, ledgers, new Date(e.at));
}

function decide(
  kind: AgencyKind,
  institution: string,
  request: AgencyRequest,
  ledgers: AgencyLedgers,
  now: Date,
): AgencyAnswer {
  const { measure } = request;
  if (!isMeasure(measure) || !agencySupports(kind, measure)) {
    return cannotAssist(`${measure} is not carried out here (${kind}: ${AGENCY_MEASURES[kind].join(', ')})`);
  }
  const court = request.court?.code;
  if (!court) return cannotAssist('the notice names no court');
  const subjectId = request.debtor.idNumber || request.debtor.creditCode;
  if (!subjectId) return cannotAssist('the debtor has no resident ID or credit code');
  const s: Served = { request, court, subjectId, now };
  if (isPunishment(measure)) return punishmentAnswer(ledgers.punishments(institution), measure, s);

  // 法释〔2015〕5号 art. 487: terms per asset kind, each renewal again at most the same term, counted
  // from today to the corresponding date (民法典 art. 202).
  const maxDays = maxTermDays(termRulesAt(now), ASSET_KIND_OF_AGENCY[kind], now);
  const termDays = request.params?.termDays ?? maxDays;
  if (['freeze', 'renew-freeze', 'seal', 'renew-seal'].includes(measure)) {
    if (!Number.isSafeInteger(termDays) || termDays <= 0)
      return cannotAssist('termDays must be a positive integer');
    if (termDays > maxDays)
      return cannotAssist(`a term of ${termDays} days exceeds the legal maximum of ${maxDays} days`);
  }

  switch (kind) {
    case 'bank':
    case 'provident-fund': {
      const ledger = kind === 'bank' ? ledgers.bank(institution) : ledgers.providentFund(institution);
      switch (measure) {
        case 'query':
          return {
            outcome: 'done',
            result:
              kind === 'bank'
                ? ledgers.bank(institution).query(subjectId, now)
                : ledgers.providentFund(institution).query(subjectId, now),
          };
        case 'freeze':
          return freezeAnswer(ledger, s, termDays);
        case 'renew-freeze':
          return renewAnswer(ledger, s, termDays);
        case 'release':
          return releaseAnswer(ledger, s);
        case 'deduct':
          return deductAnswer(ledger, s);
      }
      break;
    }
    case 'real-estate': {
      const register = ledgers.realEstate(institution);
      if (measure === 'query') return { outcome: 'done', result: register.query(subjectId, now) };
      if (measure === 'seal' || measure === 'renew-seal' || measure === 'unseal') {
        return sealAnswer(register, { key: 'unitNo', noun: 'unit' }, measure, s, termDays);
      }
      break;
    }
    case 'public-security': {
      const vehicles = ledgers.vehicles(institution);
      switch (measure) {
        case 'query':
          return publicSecurityQuery(vehicles, ledgers.seed, ledgers.subject(subjectId), s);
        case 'seal':
        case 'renew-seal':
        case 'unseal':
          return sealAnswer(vehicles, { key: 'plate', noun: 'vehicle' }, measure, s, termDays);
        case 'restrict-exit':
          return restrictExitAnswer(ledgers.punishments(institution), s);
        case 'restrict-exit-lift':
          return restrictExitLiftAnswer(ledgers.punishments(institution), s);
        case 'locate':
          return locateAnswer(ledgers.seed, ledgers.subject(subjectId), s);
      }
      break;
    }
  }
  return cannotAssist(`${measure} is not carried out here`);
}
