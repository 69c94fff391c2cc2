/**
 * The one reader of an answer's result (`RequestAnswered.resultJson`, a stored `result`): every service that
 * looks inside a result parses it here, against the same schema the agency API accepted it with.
 */
import { type AgencyKind, type Measure, toValidationIssues, type ValidationIssue } from '@hub/domain';
import type { z } from 'zod';
import { type RESULT_SCHEMAS, resultSchemaFor } from './result-schemas.js';
import { ANSWER_ISSUE_TEXT } from './shared.js';

type Schemas = typeof RESULT_SCHEMAS;

/** The typed result of `agency` answering `measure`; a union when either is a union. */
export type AnswerResult<
  A extends AgencyKind = AgencyKind,
  M extends Measure = Measure,
> = A extends AgencyKind ? (M extends keyof Schemas[A] ? z.output<Schemas[A][M]> : never) : never;

/** A parsed result says which agency kind and measure it is, so checking those narrows `value`. */
type Parsed<A extends AgencyKind, M extends Measure> = A extends AgencyKind
  ? M extends keyof Schemas[A]
    ? { ok: true; agency: A; measure: M; value: z.output<Schemas[A][M]> }
    : never
  : never;

export type ParsedAnswerResult<A extends AgencyKind = AgencyKind, M extends Measure = Measure> =
  | Parsed<A, M>
  | { ok: false; issues: ValidationIssue[] };

/**
 * Parses `agency`'s result for `measure`: `json` is the JSON text as it travels on Kafka, or a value already
 * decoded (a `jsonb` column). Never throws: text that is not JSON, a result of the wrong shape and a measure
 * the agency kind does not carry out (`MEASURE_NOT_SUPPORTED`) all come back as `issues`.
 */
export function parseAnswerResult<A extends AgencyKind, M extends Measure>(
  agency: A,
  measure: M,
  json: string | unknown,
): ParsedAnswerResult<A, M> {
  let input: unknown = json;
  if (typeof json === 'string') {
    try {
      input = JSON.parse(json);
    } catch {
      return {
        ok: false,
        issues: [{ path: '', code: 'INVALID_JSON', message: ANSWER_ISSUE_TEXT.INVALID_JSON }],
      };
    }
  }
  const r = resultSchemaFor(agency, measure).safeParse(input);
  if (!r.success) return { ok: false, issues: toValidationIssues(r.error.issues, input, ANSWER_ISSUE_TEXT) };
  return { ok: true, agency, measure, value: r.data } as Parsed<A, M>;
}
