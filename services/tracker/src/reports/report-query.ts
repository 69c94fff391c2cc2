/**
 * The reports' query strings, validated once (zod). Bad input is a 400 VALIDATION_FAILED naming each field
 * (DESIGN §6), never a 500 and never a silently different report.
 */
import { courtSchema, HubError, NOTICE_ISSUE_TEXT, shanghaiDate, toValidationIssues } from '@hub/domain';
import { z } from 'zod';
import { isCalendarDate, type Period, resolvePeriod } from './period.js';

export const REPORT_FORMATS = ['json', 'csv', 'html'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

const REPORT_ISSUE_TEXT = {
  ...NOTICE_ISSUE_TEXT,
  INVALID_DATE: 'not a calendar day written YYYY-MM-DD',
  PERIOD_REVERSED: 'the period ends before it starts',
  INVALID_YEAR: 'not a year between 2000 and 2100',
  DATE_OUT_OF_RANGE: 'not a day between 2000-01-01 and 2100-12-31',
} as const;

// The years a report can be about, as for the yearly statistics: a day of year 9999 passed as a date and its next day
// (the period's exclusive end) overflowed to "+010000-01-01", which PostgreSQL refused with a 500.
const day = z
  .string()
  .refine(isCalendarDate, { message: 'INVALID_DATE', abort: true })
  .refine((d) => d >= '2000-01-01' && d <= '2100-12-31', { message: 'DATE_OUT_OF_RANGE' });
const format = z.enum(REPORT_FORMATS).default('json');

const agencyReportQuery = z
  .strictObject({ from: day.optional(), to: day.optional(), format })
  .superRefine((q, ctx) => {
    if (q.from && q.to && q.from > q.to)
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'PERIOD_REVERSED' });
  });

const yearlyQuery = z.strictObject({
  year: z
    .string()
    .regex(/^\d{4}$/, { message: 'INVALID_YEAR' })
    .transform(Number)
    .refine((y) => y >= 2000 && y <= 2100, { message: 'INVALID_YEAR' })
    .optional(),
  court: courtSchema.shape.code.optional(),
  format,
});

function parse<T>(schema: z.ZodType<T>, input: unknown): T {
  const r = schema.safeParse(input ?? {});
  if (!r.success) {
    throw new HubError('VALIDATION_FAILED', toValidationIssues(r.error.issues, input, REPORT_ISSUE_TEXT));
  }
  return r.data;
}

export interface AgencyReportQuery {
  period: Period;
  format: ReportFormat;
}

export function parseAgencyReportQuery(input: unknown, now: Date): AgencyReportQuery {
  const q = parse(agencyReportQuery, input);
  // A missing bound is the other's quarter edge, so a one-sided period can never come out reversed.
  const period = resolvePeriod(q, now);
  return { period, format: q.format };
}

export interface YearlyQuery {
  year: number;
  court: string | null;
  format: ReportFormat;
}

export function parseYearlyQuery(input: unknown, now: Date): YearlyQuery {
  const q = parse(yearlyQuery, input);
  return { year: q.year ?? Number(shanghaiDate(now).slice(0, 4)), court: q.court ?? null, format: q.format };
}
