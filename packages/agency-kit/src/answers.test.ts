import { bankQuerySchema, resultSchemaFor } from '@hub/contracts/answers';
import { issuesOf, receipt } from '@hub/contracts/answers/test-support';
import { describe, expect, it } from 'vitest';
import { answerSchema, bankQueryResult } from './answers.js';

describe('answers with results', () => {
  it('report result issues under result', () => {
    const schema = answerSchema(resultSchemaFor('public-security', 'seal'));
    const answer = { outcome: 'done', result: { plate: '川A1234', receipt } };
    expect(issuesOf(schema, answer)).toEqual([{ path: 'result.plate', code: 'INVALID_PLATE' }]);
  });

  it('let an unsupported measure be answered cannot-assist, never done', () => {
    const schema = answerSchema(resultSchemaFor('provident-fund', 'locate'));
    expect(schema.safeParse({ outcome: 'cannot-assist', reason: '本中心不承办协查下落' }).success).toBe(true);
    expect(issuesOf(schema, { outcome: 'done', result: { found: false } })).toEqual([
      { path: 'result', code: 'MEASURE_NOT_SUPPORTED' },
    ]);
  });

  it('keep bankQueryResult as the bank query schema', () => {
    expect(bankQueryResult).toBe(bankQuerySchema);
    expect(resultSchemaFor('bank', 'query')).toBe(bankQuerySchema);
  });
});
