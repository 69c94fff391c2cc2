import { AGENCY_KINDS, type AgencyKind, agencySupports, MEASURES, type Measure } from '@hub/domain';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAnswerResult } from './parse.js';
import { bankFreeze, bankQuery, EXAMPLES, punishment } from './test-support.js';

const PUNISHMENT: readonly Measure[] = [
  'dishonest-list',
  'dishonest-list-removal',
  'restrict-consumption',
  'restrict-consumption-lift',
];
const supported = AGENCY_KINDS.flatMap((a) => MEASURES.map((m) => [a, m] as [AgencyKind, Measure])).filter(
  ([a, m]) => agencySupports(a, m),
);
const exampleFor = (agency: AgencyKind, measure: Measure) =>
  PUNISHMENT.includes(measure) ? punishment : EXAMPLES[agency][measure];

describe('parseAnswerResult', () => {
  it('reads every example result, from its JSON text as from the decoded value', () => {
    for (const [agency, measure] of supported) {
      const example = exampleFor(agency, measure);
      const expected = { ok: true, agency, measure, value: example };
      expect(parseAnswerResult(agency, measure, JSON.stringify(example))).toEqual(expected);
      expect(parseAnswerResult(agency, measure, example)).toEqual(expected);
    }
  });

  it('types the value by agency kind and measure', () => {
    const parsed = parseAnswerResult('bank', 'freeze', JSON.stringify(bankFreeze));
    const frozen: number = parsed.ok ? parsed.value.frozenFen : -1;
    expect(frozen).toBe(bankFreeze.frozenFen);
    const any = parseAnswerResult('bank' as AgencyKind, 'query' as Measure, bankQuery);
    const accounts = any.ok && any.agency === 'bank' && any.measure === 'query' ? any.value.accounts : [];
    expect(accounts).toHaveLength(2);
  });

  it('applies the schema defaults, as the agency API stored them', () => {
    const legacy = {
      accountNo: '6222020200112233445',
      accountType: 'demand',
      currency: 'CNY',
      balanceFen: 1,
    };
    const parsed = parseAnswerResult('bank', 'query', { accounts: [legacy] });
    expect(parsed.ok && parsed.value.accounts[0]?.frozenFen).toBe(0);
  });

  it('returns issues, never throws, for text that is not JSON', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        let json = true;
        try {
          JSON.parse(text);
        } catch {
          json = false;
        }
        fc.pre(!json);
        expect(parseAnswerResult('bank', 'freeze', text)).toEqual({
          ok: false,
          issues: [{ path: '', code: 'INVALID_JSON', message: expect.any(String) }],
        });
      }),
    );
  });

  it('returns the issues with their paths for a result of the wrong shape', () => {
    const parsed = parseAnswerResult('bank', 'freeze', JSON.stringify({ ...bankFreeze, frozenFen: '300' }));
    expect(parsed.ok ? [] : parsed.issues.map((i) => i.path)).toEqual(['frozenFen']);
    expect(parseAnswerResult('bank', 'deduct', 'null').ok).toBe(false);
  });

  it('refuses a result for a measure the agency kind does not carry out', () => {
    const parsed = parseAnswerResult('real-estate', 'freeze', bankFreeze);
    expect(parsed.ok ? [] : parsed.issues.map((i) => i.code)).toEqual(['MEASURE_NOT_SUPPORTED']);
  });

  it('never throws, whatever the input', () => {
    fc.assert(
      fc.property(fc.constantFrom(...supported), fc.oneof(fc.string(), fc.anything()), ([a, m], input) => {
        expect(typeof parseAnswerResult(a, m, input).ok).toBe('boolean');
      }),
    );
  });
});
