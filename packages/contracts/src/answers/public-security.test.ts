import { describe, expect, it } from 'vitest';
import {
  locateSchema,
  publicSecurityQuerySchema,
  restrictExitSchema,
  vehicleSealSchema,
} from './public-security.js';
import {
  hold,
  issuesOf,
  located,
  publicSecurityQuery,
  queuedReceipt,
  restrictExit,
  vehicleSeal,
} from './test-support.js';

const vehicle = publicSecurityQuery.vehicles[0]!;
const withVehicle = (patch: object) => ({ ...publicSecurityQuery, vehicles: [{ ...vehicle, ...patch }] });

describe('public-security results accept', () => {
  it.each([
    [
      'a query with household, a petrol and a new-energy car, and a trip abroad',
      publicSecurityQuerySchema,
      publicSecurityQuery,
    ],
    [
      'a query for someone with no household record',
      publicSecurityQuerySchema,
      { vehicles: [], exitEntry: [] },
    ],
    ['a vehicle seal', vehicleSealSchema, vehicleSeal],
    ['a queued vehicle seal', vehicleSealSchema, { plate: '粤B8K3D2', receipt: queuedReceipt }],
    ['an exit restriction', restrictExitSchema, restrictExit],
    ['a sighting', locateSchema, located],
    ['nobody found', locateSchema, { found: false }],
  ])('%s', (_, schema, input) => {
    expect(schema.parse(input)).toEqual(input);
  });
});

describe('public-security results reject', () => {
  it.each([
    [
      'a plate without its province',
      publicSecurityQuerySchema,
      withVehicle({ plate: 'A12345' }),
      'vehicles.0.plate',
      'INVALID_PLATE',
    ],
    [
      'a plate with the letter O',
      publicSecurityQuerySchema,
      withVehicle({ plate: '川O12345' }),
      'vehicles.0.plate',
      'INVALID_PLATE',
    ],
    [
      'a VIN with the letter I',
      publicSecurityQuerySchema,
      withVehicle({ vin: 'LFV2A21K8D312345I' }),
      'vehicles.0.vin',
      'INVALID_VIN',
    ],
    [
      'a 16-character VIN',
      publicSecurityQuerySchema,
      withVehicle({ vin: 'LFV2A21K8D312345' }),
      'vehicles.0.vin',
      'INVALID_VIN',
    ],
    [
      'a vehicle hold stating an amount',
      publicSecurityQuerySchema,
      withVehicle({ holds: [{ ...hold, amountFen: 1 }] }),
      'vehicles.0.holds.0.amountFen',
      'UNKNOWN_FIELD',
    ],
    [
      'a crossing without offset',
      publicSecurityQuerySchema,
      {
        ...publicSecurityQuery,
        exitEntry: [{ ...publicSecurityQuery.exitEntry[0]!, at: '2025-07-01 08:15' }],
      },
      'exitEntry.0.at',
      'INVALID_FORMAT',
    ],
    [
      'an unknown direction',
      publicSecurityQuerySchema,
      { ...publicSecurityQuery, exitEntry: [{ ...publicSecurityQuery.exitEntry[0]!, direction: 'transit' }] },
      'exitEntry.0.direction',
      'INVALID_VALUE',
    ],
    ['missing vehicles', publicSecurityQuerySchema, { exitEntry: [] }, 'vehicles', 'REQUIRED'],
    [
      'an unknown household field',
      publicSecurityQuerySchema,
      { ...publicSecurityQuery, household: { ...publicSecurityQuery.household, idNumber: 'x' } },
      'household.idNumber',
      'UNKNOWN_FIELD',
    ],
    [
      'a seal with a bad plate',
      vehicleSealSchema,
      { ...vehicleSeal, plate: '川A1234' },
      'plate',
      'INVALID_PLATE',
    ],
    [
      'a restriction not applied',
      restrictExitSchema,
      { ...restrictExit, restricted: false },
      'restricted',
      'INVALID_VALUE',
    ],
    [
      'a restriction until an instant',
      restrictExitSchema,
      { ...restrictExit, until: '2027-01-04T00:00:00+08:00' },
      'until',
      'INVALID_FORMAT',
    ],
    ['an unknown sighting source', locateSchema, { ...located, source: 'cctv' }, 'source', 'INVALID_VALUE'],
    ['a sighting with extra keys', locateSchema, { ...located, lat: 30.6 }, 'lat', 'UNKNOWN_FIELD'],
  ])('%s', (_, schema, input, path, code) => {
    expect(issuesOf(schema, input)).toEqual([{ path, code }]);
  });
});
