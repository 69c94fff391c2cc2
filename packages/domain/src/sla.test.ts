import { describe, expect, it } from 'vitest';
import { CalendarNotCoveredError, makeCalendar } from './calendar.ts';
import { AGENCY_KINDS, agencySupports, MEASURES } from './glossary.ts';
import {
  DEFAULT_SLA,
  DEFAULT_SLA_POLICY,
  deadlinesFor,
  describeDuration,
  dueAt,
  isBreached,
  type SlaPolicy,
  slaFor,
  slaPolicyFileSchema,
  slaPolicyFrom,
} from './sla.ts';

describe('DEFAULT_SLA_POLICY follows the DESIGN §4 table', () => {
  it.each([
    ['bank', 'query', { minutes: 15 }, { hours: 24 }],
    ['bank', 'freeze', { minutes: 15 }, { hours: 24 }],
    ['bank', 'renew-freeze', { minutes: 15 }, { hours: 24 }],
    ['bank', 'release', { minutes: 15 }, { hours: 24 }],
    ['bank', 'deduct', { minutes: 15 }, { workingDays: 3 }],
    ['real-estate', 'query', { hours: 1 }, { workingDays: 3 }],
    ['real-estate', 'seal', { hours: 1 }, { workingDays: 3 }],
    ['real-estate', 'renew-seal', { hours: 1 }, { workingDays: 3 }],
    ['real-estate', 'unseal', { hours: 1 }, { workingDays: 3 }],
    ['public-security', 'query', { hours: 1 }, { hours: 24 }],
    ['public-security', 'restrict-exit', { hours: 1 }, { hours: 24 }],
    ['public-security', 'seal', { hours: 1 }, { hours: 24 }],
    ['public-security', 'locate', { hours: 1 }, { hours: 168 }],
    ['provident-fund', 'query', { hours: 1 }, { hours: 24 }],
    ['provident-fund', 'freeze', { hours: 1 }, { workingDays: 3 }],
    ['provident-fund', 'release', { hours: 1 }, { workingDays: 3 }],
    ['provident-fund', 'deduct', { hours: 1 }, { workingDays: 3 }],
    ['bank', 'dishonest-list', { hours: 1 }, { hours: 24 }],
    ['real-estate', 'dishonest-list-removal', { hours: 1 }, { hours: 24 }],
    ['provident-fund', 'restrict-consumption', { hours: 1 }, { hours: 24 }],
  ] as const)('%s × %s: acknowledge %j, answer %j', (agency, measure, acknowledge, answer) => {
    expect(slaFor(DEFAULT_SLA_POLICY, agency, measure)).toEqual({ acknowledge, answer, escalate: answer });
  });

  it('has an explicit rule for every measure an agency kind supports', () => {
    for (const agency of AGENCY_KINDS) {
      for (const measure of MEASURES.filter((m) => agencySupports(agency, m))) {
        const named = DEFAULT_SLA_POLICY.rules.some(
          (r) => (r.agency === agency || r.agency === '*') && r.measures.includes(measure),
        );
        expect(named, `${agency} × ${measure}`).toBe(true);
      }
    }
  });
});

describe('slaFor', () => {
  const policy: SlaPolicy = {
    rules: [
      { agency: '*', measures: ['query'], acknowledge: { hours: 2 }, answer: { hours: 48 } },
      {
        agency: 'bank',
        measures: ['query'],
        acknowledge: { minutes: 5 },
        answer: { hours: 1 },
        escalate: { hours: 2 },
      },
    ],
    fallback: { acknowledge: { hours: 3 }, answer: { hours: 72 } },
  };

  it('prefers a rule for the agency kind over a wildcard, whatever the order', () => {
    expect(slaFor(policy, 'bank', 'query')).toEqual({
      acknowledge: { minutes: 5 },
      answer: { hours: 1 },
      escalate: { hours: 2 },
    });
    expect(slaFor(policy, 'real-estate', 'query').answer).toEqual({ hours: 48 });
  });

  it('falls back when no rule matches', () => {
    expect(slaFor(policy, 'bank', 'locate')).toEqual({
      acknowledge: { hours: 3 },
      answer: { hours: 72 },
      escalate: { hours: 72 },
    });
  });
});

describe('dueAt', () => {
  const start = new Date('2026-11-27T16:30:00+08:00'); // a Friday afternoon

  it('adds minutes and hours as elapsed time', () => {
    expect(dueAt(start, { minutes: 15 }).toISOString()).toBe('2026-11-27T08:45:00.000Z');
    expect(dueAt(start, { hours: 24 }).toISOString()).toBe('2026-11-28T08:30:00.000Z');
  });

  it('counts working days on the calendar, ending at the end of the day', () => {
    expect(dueAt(start, { workingDays: 3 }).toISOString()).toBe('2026-12-02T15:59:59.999Z');
    const noHolidays = makeCalendar([
      { year: 2026, provisional: false, source: 'test', holidays: [], makeUpWorkdays: [] },
    ]);
    expect(dueAt(start, { workingDays: 1 }, noHolidays).toISOString()).toBe('2026-11-30T15:59:59.999Z');
  });

  it('refuses working days into a year without a table', () => {
    expect(() => dueAt(new Date('2027-12-30T09:00:00+08:00'), { workingDays: 3 })).toThrow(
      CalendarNotCoveredError,
    );
  });

  it('estimates SLA deadlines over weekends only where the calendar has no table, and says so', () => {
    const sla = slaFor(DEFAULT_SLA_POLICY, 'bank', 'deduct');
    const d = deadlinesFor(sla, new Date('2027-12-30T09:00:00+08:00'));
    expect(d.calendarGap).toBe(2028);
    expect(d.answerBy.toISOString()).toBe('2028-01-04T15:59:59.999Z'); // Fri 12/31, Mon 1/3, Tue 1/4
    expect(deadlinesFor(sla, start).calendarGap).toBeUndefined();
  });

  it('refuses negative durations', () => {
    expect(() => dueAt(start, { hours: -1 })).toThrow(RangeError);
  });

  it('gives all three deadlines, escalation counted from the answer deadline', () => {
    const sla = slaFor(DEFAULT_SLA_POLICY, 'bank', 'deduct');
    const d = deadlinesFor(sla, start);
    expect(d.acknowledgeBy.toISOString()).toBe('2026-11-27T08:45:00.000Z');
    expect(d.answerBy.toISOString()).toBe('2026-12-02T15:59:59.999Z');
    expect(d.escalateAt.toISOString()).toBe('2026-12-07T15:59:59.999Z');
  });

  it('describes durations for people', () => {
    expect(
      [{ minutes: 15 }, { hours: 24 }, { workingDays: 3 }, { workingDays: 1 }].map(describeDuration),
    ).toEqual(['15 min', '24 h', '3 working days', '1 working day']);
  });
});

describe('versioned SLA policy', () => {
  it('the shipped policy is versioned and round-trips through the file schema', () => {
    const file = { version: DEFAULT_SLA.version, source: DEFAULT_SLA.source, ...DEFAULT_SLA.policy };
    expect(slaPolicyFrom(slaPolicyFileSchema.parse(file))).toEqual(DEFAULT_SLA);
  });

  it.each([
    ['a duration of two units', { acknowledge: { hours: 1, minutes: 5 }, answer: { hours: 1 } }],
    ['an unknown measure', { acknowledge: { hours: 1 }, answer: { hours: 1 }, measures: ['fly'] }],
    ['a negative duration', { acknowledge: { hours: -1 }, answer: { hours: 1 } }],
    ['fractional working days', { acknowledge: { hours: 1 }, answer: { workingDays: 1.5 } }],
  ])('refuses %s', (_, rule) => {
    const file = {
      version: 'v2',
      source: 'test',
      rules: [{ agency: 'bank', measures: ['query'], ...rule }],
      fallback: { acknowledge: { hours: 1 }, answer: { hours: 24 } },
    };
    expect(slaPolicyFileSchema.safeParse(file).success).toBe(false);
  });
});

describe('isBreached', () => {
  const due = new Date('2026-03-02T10:00:00Z');
  const after = new Date('2026-03-02T10:00:01Z');
  it.each([
    ['open, before the deadline', { open: true, dueAt: due, answeredAt: null }, due, false],
    ['open, past the deadline', { open: true, dueAt: due, answeredAt: null }, after, true],
    ['answered in time', { open: false, dueAt: due, answeredAt: due }, after, false],
    ['answered late: stays breached', { open: false, dueAt: due, answeredAt: after }, after, true],
    ['no deadline known', { open: true, dueAt: null, answeredAt: null }, after, false],
  ])('%s', (_, r, now, expected) => {
    expect(isBreached(r, now)).toBe(expected);
  });
});
