import {
  AGENCY_KINDS,
  AGENCY_MEASURES,
  type AgencyKind,
  agencySupports,
  MEASURES,
  type Measure,
} from '@hub/domain';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resultSchemaFor, resultSchemasOf } from './index.js';
import { BANK_ACCOUNT, EXAMPLES, issuesOf, PF_ACCOUNT, punishment, receipt } from './test-support.js';

const PUNISHMENT: readonly Measure[] = [
  'dishonest-list',
  'dishonest-list-removal',
  'restrict-consumption',
  'restrict-consumption-lift',
];
const pairs = AGENCY_KINDS.flatMap((a) => MEASURES.map((m) => [a, m] as [AgencyKind, Measure]));
const supported = pairs.filter(([a, m]) => agencySupports(a, m));
const unsupported = pairs.filter(([a, m]) => !agencySupports(a, m));

const exampleFor = (agency: AgencyKind, measure: Measure) =>
  PUNISHMENT.includes(measure) ? punishment : EXAMPLES[agency][measure];

describe('resultSchemaFor', () => {
  it('has a handwritten example for every measure in AGENCY_MEASURES, and only those', () => {
    for (const agency of AGENCY_KINDS) {
      expect(Object.keys(EXAMPLES[agency]).sort()).toEqual([...AGENCY_MEASURES[agency]].sort());
    }
  });

  it('accepts an example result for every measure an agency kind supports', () => {
    fc.assert(
      fc.property(fc.constantFrom(...supported), ([agency, measure]) => {
        const example = exampleFor(agency, measure);
        expect(resultSchemaFor(agency, measure).safeParse(example)).toMatchObject({ success: true });
      }),
      { numRuns: supported.length * 4 },
    );
  });

  it('rejects anything for a measure the agency kind cannot carry out, with MEASURE_NOT_SUPPORTED', () => {
    expect(unsupported).toContainEqual(['real-estate', 'freeze']);
    fc.assert(
      fc.property(fc.constantFrom(...unsupported), fc.anything(), ([agency, measure], input) => {
        expect(issuesOf(resultSchemaFor(agency, measure), input)).toEqual([
          { path: '', code: 'MEASURE_NOT_SUPPORTED' },
        ]);
      }),
    );
  });

  it("never accepts one agency kind's query result for another's", () => {
    for (const agency of AGENCY_KINDS) {
      for (const other of AGENCY_KINDS.filter((o) => o !== agency)) {
        expect(resultSchemaFor(agency, 'query').safeParse(EXAMPLES[other].query).success).toBe(false);
      }
    }
  });

  it('freeze results are accepted exactly when frozen ≤ requested, the receipt is consistent and a queued freeze holds 0', () => {
    const freeze = fc.record({
      requestedFen: fc.nat(),
      frozenFen: fc.oneof(fc.constant(0), fc.nat()),
      effective: fc.boolean(),
      queuePosition: fc.oneof(fc.constant(0), fc.nat({ max: 5 })),
    });
    fc.assert(
      fc.property(
        fc.constantFrom<[AgencyKind, string]>(['bank', BANK_ACCOUNT], ['provident-fund', PF_ACCOUNT]),
        fc.constantFrom<Measure>('freeze', 'renew-freeze'),
        freeze,
        ([agency, accountNo], measure, f) => {
          const input = {
            accountNo,
            requestedFen: f.requestedFen,
            frozenFen: f.frozenFen,
            receipt: { ...receipt, effective: f.effective, queuePosition: f.queuePosition },
          };
          const valid =
            f.effective === (f.queuePosition === 0) &&
            f.frozenFen <= f.requestedFen &&
            (f.effective || f.frozenFen === 0);
          expect(resultSchemaFor(agency, measure).safeParse(input).success).toBe(valid);
        },
      ),
    );
  });
});

describe('resultSchemasOf', () => {
  it('lists exactly the supported measures of an agency kind', () => {
    for (const agency of AGENCY_KINDS) {
      expect(Object.keys(resultSchemasOf(agency)).sort()).toEqual(
        MEASURES.filter((m) => agencySupports(agency, m)).sort(),
      );
    }
  });
});
