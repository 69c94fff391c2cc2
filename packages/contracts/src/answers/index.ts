/** Agency answer results: one schema per agency kind and measure, and the one parser of `resultJson`. */

export * from './bank.js';
export { type AnswerResult, type ParsedAnswerResult, parseAnswerResult } from './parse.js';
export * from './provident-fund.js';
export * from './public-security.js';
export * from './real-estate.js';

export { RESULT_SCHEMAS, type ResultSchemas, resultSchemaFor, resultSchemasOf } from './result-schemas.js';
export {
  ANSWER_ISSUE_TEXT,
  type AnswerIssueCode,
  type AssetHold,
  assetHoldSchema,
  type Hold,
  holdSchema,
  type MeasureReceipt,
  measureReceiptSchema,
  type PunishmentResult,
  punishmentResultSchema,
} from './shared.js';
