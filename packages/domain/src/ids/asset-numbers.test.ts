import { describe, expect, it } from 'vitest';
import { isBankAccountNo, isRealEstateUnitNo, isVehiclePlate } from './asset-numbers.ts';

describe('isBankAccountNo', () => {
  it.each(['6222020200112233445', '6217000010012345678', '1234567890', '110060149018010012345'])(
    'accepts %s',
    (s) => expect(isBankAccountNo(s)).toBe(true),
  );
  it.each(['123456789', '6222 0202 0011 2233 445', '6222-0202', 'A222020200112233445', '1'.repeat(31), ''])(
    'rejects %s',
    (s) => expect(isBankAccountNo(s)).toBe(false),
  );
});

describe('isRealEstateUnitNo', () => {
  it.each([
    '510104001001GB00001F00010001', // state-owned construction land, building 1 unit 1
    '510104001001JC00012F00020003', // collective homestead
    '110105002003GB00100W00000000', // bare land
    '320102001002ZB00001L00000001',
  ])('accepts %s', (s) => expect(isRealEstateUnitNo(s)).toBe(true));
  it.each([
    '510104001001GB00001F0001000', // 27 characters
    '510104001001GB00001F000100011', // 29 characters
    '510104001001XB00001F00010001', // X is not an ownership code
    '510104001001GB00001A00010001', // A is not a fixture code
    '510104001001gb00001f00010001', // lower case
    '5101040010010100001F00010001', // digits where the letters go
  ])('rejects %s', (s) => expect(isRealEstateUnitNo(s)).toBe(false));
});

describe('isVehiclePlate', () => {
  it.each([
    '川A12345',
    '京N8P8F8',
    '粤B8K3D2',
    '京AD12345',
    '沪ADA1234',
    '苏E12345D',
    '浙A1234学',
    '鲁B1234挂',
  ])('accepts %s', (s) => expect(isVehiclePlate(s)).toBe(true));
  it.each(['川A1234', '川A123456', 'XA12345', '川I12345', '川O12345', '川a12345', '京A1234567', '川AD1234X'])(
    'rejects %s',
    (s) => expect(isVehiclePlate(s)).toBe(false),
  );
});
