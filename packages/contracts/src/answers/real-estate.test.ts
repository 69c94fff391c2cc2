import { isRealEstateUnitNo } from '@hub/domain';
import { describe, expect, it } from 'vitest';
import { realEstateQuerySchema, realEstateSealSchema } from './real-estate.js';
import {
  hold,
  issuesOf,
  queuedReceipt,
  realEstateQuery,
  realEstateSeal,
  receipt,
  UNIT_NO,
} from './test-support.js';

const unit = realEstateQuery.units[0]!;
const query = (patch: object) => ({ units: [{ ...unit, ...patch }] });

describe('real-estate results accept', () => {
  it('examples whose unit numbers are 28-character 不动产单元号', () => {
    for (const u of realEstateQuery.units)
      expect([u.unitNo.length, isRealEstateUnitNo(u.unitNo)]).toEqual([28, true]);
  });

  it.each([
    ['a query: a mortgaged flat sealed twice, and a homestead', realEstateQuerySchema, realEstateQuery],
    ['a query finding nothing', realEstateQuerySchema, { units: [] }],
    [
      'bare land',
      realEstateQuerySchema,
      query({ unitNo: '110105002003GB00100W00000000', use: 'land', areaM2: 1200.5 }),
    ],
    ['a seal in effect', realEstateSealSchema, realEstateSeal],
    ['a queued seal (轮候查封)', realEstateSealSchema, { unitNo: UNIT_NO, receipt: queuedReceipt }],
  ])('%s', (_, schema, input) => {
    expect(schema.parse(input)).toEqual(input);
  });
});

describe('real-estate results reject', () => {
  it.each([
    [
      'a 27-character unit number',
      realEstateQuerySchema,
      query({ unitNo: UNIT_NO.slice(1) }),
      'units.0.unitNo',
      'INVALID_UNIT_NO',
    ],
    [
      'an area to the thousandth',
      realEstateQuerySchema,
      query({ areaM2: 89.575 }),
      'units.0.areaM2',
      'INVALID_VALUE',
    ],
    ['a zero area', realEstateQuerySchema, query({ areaM2: 0 }), 'units.0.areaM2', 'TOO_SMALL'],
    ['an unknown use', realEstateQuerySchema, query({ use: '住宅' }), 'units.0.use', 'INVALID_VALUE'],
    [
      'a fractional mortgage amount',
      realEstateQuerySchema,
      query({ mortgages: [{ ...unit.mortgages[0]!, amountFen: 1.5 }] }),
      'units.0.mortgages.0.amountFen',
      'NOT_INTEGER',
    ],
    [
      'a seal hold stating an amount',
      realEstateQuerySchema,
      query({ holds: [{ ...hold, amountFen: 1 }] }),
      'units.0.holds.0.amountFen',
      'UNKNOWN_FIELD',
    ],
    ['missing holds', realEstateQuerySchema, query({ holds: undefined }), 'units.0.holds', 'REQUIRED'],
    ['an unknown key', realEstateQuerySchema, query({ owner: '李某' }), 'units.0.owner', 'UNKNOWN_FIELD'],
    [
      'a seal with a bad unit number',
      realEstateSealSchema,
      { ...realEstateSeal, unitNo: '510104001001XB00001F00010001' },
      'unitNo',
      'INVALID_UNIT_NO',
    ],
    [
      'an inconsistent receipt',
      realEstateSealSchema,
      { unitNo: UNIT_NO, receipt: { ...receipt, effective: false } },
      'receipt.queuePosition',
      'QUEUE_POSITION_MISMATCH',
    ],
  ])('%s', (_, schema, input, path, code) => {
    expect(issuesOf(schema, input)).toEqual([{ path, code }]);
  });
});
