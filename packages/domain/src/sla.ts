/**
 * SLA policy (configuration, not law — DESIGN §4): how long each agency kind has to acknowledge (签收) and to
 * answer each measure. No regulation fixes these; the defaults follow practice (bank searches within an hour,
 * Zhejiang's ten-minute inquiries and two-day freezes).
 */
import { z } from 'zod';
import type { WorkingDayCalendar } from './calendar.ts';
import { CalendarNotCoveredError, makeCalendar, PRC_CALENDAR } from './calendar.ts';
import { AGENCY_KINDS, type AgencyKind, MEASURES, type Measure } from './glossary.ts';

export type Duration = { hours: number } | { minutes: number } | { workingDays: number };

export interface Sla {
  acknowledge: Duration;
  answer: Duration;
  /** After the answer deadline passes unanswered, how much longer until the breach escalates. */
  escalate: Duration;
}

export interface SlaRule {
  /** `'*'` matches every agency kind; rules are tried in order, the first match wins. */
  agency: AgencyKind | '*';
  measures: readonly Measure[];
  acknowledge: Duration;
  answer: Duration;
  /** Defaults to the answer duration again (DESIGN §4: "by default the answer deadline again"). */
  escalate?: Duration;
}

export interface SlaPolicy {
  rules: readonly SlaRule[];
  /** For an agency × measure pair no rule names. */
  fallback: { acknowledge: Duration; answer: Duration; escalate?: Duration };
}

const min15: Duration = { minutes: 15 };
const hour1: Duration = { hours: 1 };
const hours24: Duration = { hours: 24 };
const days7: Duration = { hours: 7 * 24 };
const working3: Duration = { workingDays: 3 };

export const DEFAULT_SLA_POLICY: SlaPolicy = {
  rules: [
    { agency: 'bank', measures: ['query'], acknowledge: min15, answer: hours24 },
    { agency: 'bank', measures: ['freeze', 'renew-freeze', 'release'], acknowledge: min15, answer: hours24 },
    { agency: 'bank', measures: ['deduct'], acknowledge: min15, answer: working3 },
    { agency: 'real-estate', measures: ['query'], acknowledge: hour1, answer: working3 },
    {
      agency: 'real-estate',
      measures: ['seal', 'renew-seal', 'unseal'],
      acknowledge: hour1,
      answer: working3,
    },
    { agency: 'public-security', measures: ['query'], acknowledge: hour1, answer: hours24 },
    // 车辆查封 (vehicle seal) and its renewal and release sit with 交管, like exit restriction with 出入境.
    {
      agency: 'public-security',
      measures: ['restrict-exit', 'restrict-exit-lift', 'seal', 'renew-seal', 'unseal'],
      acknowledge: hour1,
      answer: hours24,
    },
    { agency: 'public-security', measures: ['locate'], acknowledge: hour1, answer: days7 },
    { agency: 'provident-fund', measures: ['query'], acknowledge: hour1, answer: hours24 },
    {
      agency: 'provident-fund',
      measures: ['freeze', 'renew-freeze', 'release', 'deduct'],
      acknowledge: hour1,
      answer: working3,
    },
    // Removal's 24 h sits well inside the 3-working-day legal limit (法释〔2017〕7号 art. 10).
    {
      agency: '*',
      measures: [
        'dishonest-list',
        'dishonest-list-removal',
        'restrict-consumption',
        'restrict-consumption-lift',
      ],
      acknowledge: hour1,
      answer: hours24,
    },
  ],
  fallback: { acknowledge: hour1, answer: hours24 },
};

/**
 * A policy as data with its identity, like the legal rule sets in rules.ts: every deadline stamped on a request
 * names the version it came from (RequestDispatched.sla_policy_version), so a later change of policy never
 * rewrites what a request was promised.
 */
export interface VersionedSlaPolicy {
  /** Stable id stamped on requests, e.g. `default` or `sla-2027-01`. */
  version: string;
  /** Where the figures come from (a decision, a memorandum with an agency, DESIGN §4). */
  source: string;
  policy: SlaPolicy;
}

/** The shipped policy. Its id is `default`: what query has stamped on every RequestDispatched so far. */
export const DEFAULT_SLA: VersionedSlaPolicy = {
  version: 'default',
  source: 'DESIGN §4 default SLAs (configuration, not law)',
  policy: DEFAULT_SLA_POLICY,
};

const durationSchema = z.union([
  z.strictObject({ hours: z.number().positive().finite() }),
  z.strictObject({ minutes: z.number().positive().finite() }),
  z.strictObject({ workingDays: z.number().int().positive() }),
]);

const deadlinesSchema = {
  acknowledge: durationSchema,
  answer: durationSchema,
  escalate: durationSchema.optional(),
};

/** A policy file (HUB_SLA_POLICY_FILE, loaded by @hub/service-kit): `{ version, source, rules, fallback }`. */
export const slaPolicyFileSchema = z.strictObject({
  version: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9._-]{1,64}$/, 'letters, digits, . _ - (at most 64)'),
  source: z.string().trim().min(1),
  rules: z.array(
    z.strictObject({
      agency: z.enum([...AGENCY_KINDS, '*']),
      measures: z.array(z.enum(MEASURES)).min(1),
      ...deadlinesSchema,
    }),
  ),
  fallback: z.strictObject(deadlinesSchema),
});

/** A parsed policy file as a versioned policy (throws the zod error; callers name their variable). */
export function slaPolicyFrom(file: z.infer<typeof slaPolicyFileSchema>): VersionedSlaPolicy {
  const { version, source, ...policy } = file;
  return { version, source, policy: policy as SlaPolicy };
}

export function slaFor(policy: SlaPolicy, agency: AgencyKind, measure: Measure): Sla {
  const rule =
    policy.rules.find((r) => r.agency === agency && r.measures.includes(measure)) ??
    policy.rules.find((r) => r.agency === '*' && r.measures.includes(measure)) ??
    policy.fallback;
  return { acknowledge: rule.acknowledge, answer: rule.answer, escalate: rule.escalate ?? rule.answer };
}

/**
 * When a duration started at `start` runs out. Working days end at 23:59:59.999 +08:00 (see calendar.ts);
 * throws CalendarNotCoveredError when they would run into a year without a table.
 */
export function dueAt(start: Date, d: Duration, calendar: WorkingDayCalendar = PRC_CALENDAR): Date {
  if ('workingDays' in d) return calendar.addWorkingDays(start, d.workingDays);
  const ms = 'hours' in d ? d.hours * 3_600_000 : d.minutes * 60_000;
  if (!Number.isFinite(ms) || ms < 0)
    throw new RangeError(`duration must be non-negative: ${JSON.stringify(d)}`);
  return new Date(start.getTime() + ms);
}

export interface Deadlines {
  acknowledgeBy: Date;
  answerBy: Date;
  escalateAt: Date;
  /**
   * Set when a working-day deadline ran into a year without a holiday table: the deadlines were then
   * estimated counting weekends only, and the caller must report it so ops load that year (HUB_CALENDAR_FILE).
   */
  calendarGap?: number;
}

/** Weekends only: the estimate an SLA falls back to in a year without a table. */
const WEEKENDS_ONLY: WorkingDayCalendar = makeCalendar(
  Array.from({ length: 201 }, (_, i) => ({
    year: 2000 + i,
    provisional: true,
    source: 'weekends only',
    holidays: [],
    makeUpWorkdays: [],
  })),
);

/**
 * All three deadlines of a request delivered at `start`; escalation counts from the answer deadline.
 * An SLA is policy, not law (DESIGN §4): where the calendar has no table, refusing would drop the request on
 * the floor, so the deadlines are estimated over weekends only and flagged with `calendarGap`. Legal
 * deadlines (rules.ts) refuse instead.
 */
export function deadlinesFor(sla: Sla, start: Date, calendar: WorkingDayCalendar = PRC_CALENDAR): Deadlines {
  const compute = (c: WorkingDayCalendar): Deadlines => {
    const answerBy = dueAt(start, sla.answer, c);
    return {
      acknowledgeBy: dueAt(start, sla.acknowledge, c),
      answerBy,
      escalateAt: dueAt(answerBy, sla.escalate, c),
    };
  };
  try {
    return compute(calendar);
  } catch (err) {
    if (!(err instanceof CalendarNotCoveredError)) throw err;
    return { ...compute(WEEKENDS_ONLY), calendarGap: err.year };
  }
}

/**
 * Breached (超期): the answer deadline passed with no answer, or the answer came after it. The one definition the
 * tracker, the gateway's clients and the property report use (in SQL through the tracker's request-status module).
 * A late answer keeps the mark: non-cooperation is evidence (DESIGN §4).
 */
export function isBreached(
  r: { open: boolean; dueAt: Date | null | undefined; answeredAt: Date | null | undefined },
  now: Date,
): boolean {
  if (!r.dueAt) return false;
  if (r.open) return now.getTime() > r.dueAt.getTime();
  return !!r.answeredAt && r.answeredAt.getTime() > r.dueAt.getTime();
}

/** Durations in a human word, e.g. for the ops console: `15 min`, `24 h`, `3 working days`. */
export function describeDuration(d: Duration): string {
  if ('workingDays' in d) return `${d.workingDays} working day${d.workingDays === 1 ? '' : 's'}`;
  return 'hours' in d ? `${d.hours} h` : `${d.minutes} min`;
}
