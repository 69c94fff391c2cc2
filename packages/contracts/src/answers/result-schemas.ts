/**
 * Result schemas per agency kind and measure (docs/agency-answers.md), the one contract of a
 * `RequestAnswered`'s `resultJson`. `resultSchemaFor` is what the agency
 * API validates an answer's `result` with; a measure the agency kind cannot carry out gets a schema that
 * always fails, so such a request can only be answered cannot-assist or refused.
 */
import { type AgencyKind, agencySupports, MEASURES, type Measure } from '@hub/domain';
import { z } from 'zod';
import { BANK_RESULT_SCHEMAS } from './bank.js';
import { PROVIDENT_FUND_RESULT_SCHEMAS } from './provident-fund.js';
import { PUBLIC_SECURITY_RESULT_SCHEMAS } from './public-security.js';
import { REAL_ESTATE_RESULT_SCHEMAS } from './real-estate.js';
import { issue, PUNISHMENT_RESULT_SCHEMAS } from './shared.js';

export type ResultSchemas = Readonly<Partial<Record<Measure, z.ZodType>>>;

/** Every result schema by agency kind and measure; `AnswerResult` derives the typed results from it. */
export const RESULT_SCHEMAS = {
  bank: { ...BANK_RESULT_SCHEMAS, ...PUNISHMENT_RESULT_SCHEMAS },
  'real-estate': { ...REAL_ESTATE_RESULT_SCHEMAS, ...PUNISHMENT_RESULT_SCHEMAS },
  'public-security': { ...PUBLIC_SECURITY_RESULT_SCHEMAS, ...PUNISHMENT_RESULT_SCHEMAS },
  'provident-fund': { ...PROVIDENT_FUND_RESULT_SCHEMAS, ...PUNISHMENT_RESULT_SCHEMAS },
} as const satisfies Readonly<Record<AgencyKind, ResultSchemas>>;

const measureNotSupported = z.unknown().superRefine((_value, ctx) => {
  ctx.addIssue({ code: 'custom', ...issue('MEASURE_NOT_SUPPORTED') });
});

/** The schema of `result` when `agency` answers `measure`. */
export function resultSchemaFor(agency: AgencyKind, measure: Measure): z.ZodType {
  if (!agencySupports(agency, measure)) return measureNotSupported;
  const schema = (RESULT_SCHEMAS[agency] as ResultSchemas)[measure];
  // agencySupports and the table above are kept in step by a test; a gap is a bug, not a partner's error.
  if (!schema) throw new Error(`no result schema for ${agency} ${measure}`);
  return schema;
}

/** Every supported measure's result schema for one agency kind, e.g. for an adapter's `resultSchemas`. */
export function resultSchemasOf(agency: AgencyKind): ResultSchemas {
  return Object.fromEntries(
    MEASURES.filter((m) => agencySupports(agency, m)).map((m) => [m, resultSchemaFor(agency, m)]),
  );
}
