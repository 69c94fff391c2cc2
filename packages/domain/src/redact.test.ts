import { describe, expect, it } from 'vitest';
import { maskAccount, maskIdNumber, maskName, maskPhone, redactDebtor } from './redact.ts';

describe('masking personal data', () => {
  it.each([
    ['11010519491231002X', '110105********002X'],
    ['91350100M000100Y43', '913501********0Y43'],
    ['1234567890', '**********'],
  ])('maskIdNumber(%s) = %s', (input, masked) => expect(maskIdNumber(input)).toBe(masked));

  it.each([
    ['李某某', '李**'],
    ['欧阳娜娜', '欧***'],
    ['李', '*'],
    ['', ''],
  ])('maskName(%s) = %s', (input, masked) => expect(maskName(input)).toBe(masked));

  it.each([
    ['6222020200112233445', '6222***********3445'],
    ['1234567890', '1234**7890'],
    ['12345678', '********'],
  ])('maskAccount(%s) = %s', (input, masked) => expect(maskAccount(input)).toBe(masked));

  it('maskPhone keeps separators and the last four digits', () => {
    expect(maskPhone('028-86001234')).toBe('***-****1234');
    expect(maskPhone('13800138000')).toBe('*******8000');
  });

  it('redacts a person debtor but not an organisation’s public identity', () => {
    expect(redactDebtor({ kind: 'person', name: '李某', idNumber: '11010519491231002X' })).toEqual({
      kind: 'person',
      name: '李*',
      idNumber: '110105********002X',
    });
    const org = {
      kind: 'organisation' as const,
      name: '某某有限公司',
      creditCode: '91350100M000100Y43',
      legalRepresentative: { name: '张三', idNumber: '440524188001010014' },
    };
    expect(redactDebtor(org)).toEqual({
      ...org,
      legalRepresentative: { name: '张*', idNumber: '440524********0014' },
    });
  });
});
