import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AGENCY_KINDS,
  agencySupports,
  isPunishmentMeasure,
  MEASURES,
  type Measure,
  REQUIRED_ASSET_PARAM,
} from './glossary.ts';
import { formatCaseNo } from './ids/case-number.ts';
import { residentIdCheckChar } from './ids/resident-id.ts';
import { needsConfirmationOnly, noticeSubmissionSchema, validateNotice } from './notice.ts';
import { caseNoArb, creditCodeArb, residentIdArb } from './test-support/arbitraries.ts';

/** The example of DESIGN §6, verbatim. */
const example = {
  noticeNo: '(2026)川0104执1234号-协01',
  caseNo: '(2026)川0104执1234号',
  court: { code: '川0104', name: '成都市锦江区人民法院' },
  officer: { name: '王法官', phone: '028-00000000' },
  debtor: { kind: 'person', name: '李某', idNumber: '11010519491231002X' },
  measure: 'query',
  targets: [
    { agency: 'bank' },
    { agency: 'real-estate' },
    { agency: 'public-security' },
    { agency: 'provident-fund' },
  ],
  params: {},
  legalBasis: '(2026)川0104执1234号执行裁定书',
  issuedAt: '2026-11-23T09:00:00+08:00',
};

const organisation = {
  kind: 'organisation',
  name: '成都某某贸易有限公司',
  creditCode: '91350100M000100Y43',
  legalRepresentative: { name: '张某', idNumber: '510104198001010014' },
};

const freeze = {
  ...example,
  measure: 'freeze',
  targets: [{ agency: 'bank', institution: 'ICBC' }],
  params: { amountFen: 12_345_600, termDays: 365, accountNo: '6222020200112233445' },
};

function issuesOf(input: unknown) {
  const result = validateNotice(input);
  if (result.ok) throw new Error('expected the notice to be rejected');
  return result.issues.map(({ path, code }) => ({ path, code }));
}

describe('validateNotice accepts', () => {
  it('the DESIGN §6 example, unchanged and without warnings', () => {
    expect(validateNotice(example)).toEqual({ ok: true, value: example, warnings: [] });
  });

  it('an organisation debtor with its legal representative', () => {
    expect(validateNotice({ ...example, debtor: organisation }).ok).toBe(true);
  });

  it('a name written decomposed, stored in NFC (the public list and partners match one spelling)', () => {
    const r = validateNotice({ ...example, debtor: { ...example.debtor, name: 'Zoe\u0301 李' } });
    expect(r.ok && r.value.debtor.name).toBe('Zo\u00e9 李');
  });

  it('a bank freeze with amount, term and account, and a pre-2016 case number', () => {
    expect(validateNotice(freeze).ok).toBe(true);
    expect(validateNotice({ ...freeze, caseNo: '(2015)锦江执字第00033号' }).ok).toBe(true);
  });

  it('a real-estate seal by unit number and a vehicle seal by plate', () => {
    const seal = {
      ...example,
      measure: 'seal',
      params: { termDays: 1095, unitNo: '510104001001GB00001F00010001' },
    };
    expect(validateNotice({ ...seal, targets: [{ agency: 'real-estate' }] }).ok).toBe(true);
    const vehicle = { ...example, measure: 'seal', params: { termDays: 730, plate: '川A12345' } };
    expect(validateNotice({ ...vehicle, targets: [{ agency: 'public-security' }] }).ok).toBe(true);
  });

  it('the same agency twice when the institutions differ', () => {
    const targets = [
      { agency: 'bank', institution: 'ICBC' },
      { agency: 'bank', institution: 'CCB' },
      { agency: 'bank' },
    ];
    expect(validateNotice({ ...freeze, targets }).ok).toBe(true);
  });

  it('an issue time in UTC', () => {
    expect(validateNotice({ ...example, issuedAt: '2026-11-23T01:00:00Z' }).ok).toBe(true);
  });
});

describe('validateNotice rejects, with dotted paths and stable codes', () => {
  it.each<[string, Record<string, unknown>, { path: string; code: string }[]]>([
    [
      'a bad resident ID',
      { debtor: { ...example.debtor, idNumber: '110105194912310021' } },
      [{ path: 'debtor.idNumber', code: 'INVALID_RESIDENT_ID' }],
    ],
    [
      'a bad legal representative ID',
      { debtor: { ...organisation, legalRepresentative: { name: '张某', idNumber: '510104198001010015' } } },
      [{ path: 'debtor.legalRepresentative.idNumber', code: 'INVALID_RESIDENT_ID' }],
    ],
    [
      'a name with a zero-width space',
      { debtor: { ...example.debtor, name: '杨\u200b廿三' } },
      [{ path: 'debtor.name', code: 'INVISIBLE_CHARACTERS' }],
    ],
    [
      'a legal representative named with a direction override',
      {
        debtor: {
          ...organisation,
          legalRepresentative: { ...organisation.legalRepresentative, name: '张\u202e某' },
        },
      },
      [{ path: 'debtor.legalRepresentative.name', code: 'INVISIBLE_CHARACTERS' }],
    ],
    ...['\u200b', '\u0007', '\u202e', '\ufeff'].map(
      (c): [string, Record<string, unknown>, { path: string; code: string }[]] => [
        `a notice number with U+${c.codePointAt(0)!.toString(16).padStart(4, '0')} (one number would be two)`,
        { noticeNo: `(2026)川0104执恢12${c}3号` },
        [{ path: 'noticeNo', code: 'INVISIBLE_CHARACTERS' }],
      ],
    ),
    [
      'a name with a tab inside',
      { debtor: { ...example.debtor, name: '张\t三' } },
      [{ path: 'debtor.name', code: 'INVISIBLE_CHARACTERS' }],
    ],
    [
      'a malformed credit code',
      { debtor: { ...organisation, creditCode: '91350100M000100Y4' } },
      [{ path: 'debtor.creditCode', code: 'INVALID_CREDIT_CODE' }],
    ],
    [
      'an unconfirmed failed credit code check',
      { debtor: { ...organisation, creditCode: '91350100M000100Y42' } },
      [{ path: 'debtor.creditCode', code: 'CREDIT_CODE_CHECK_FAILED' }],
    ],
    [
      'an unknown debtor kind',
      { debtor: { kind: 'robot', name: 'x' } },
      [{ path: 'debtor.kind', code: 'INVALID_VALUE' }],
    ],
    [
      'a person without an ID number',
      { debtor: { kind: 'person', name: '李某' } },
      [{ path: 'debtor.idNumber', code: 'REQUIRED' }],
    ],
    [
      'a case number that does not parse',
      { caseNo: '川0104执1234' },
      [{ path: 'caseNo', code: 'INVALID_CASE_NO' }],
    ],
    [
      'a court code that is not one',
      { court: { code: 'C001', name: '某法院' } },
      [{ path: 'court.code', code: 'INVALID_COURT_CODE' }],
    ],
    ['an unknown measure', { measure: 'arrest' }, [{ path: 'measure', code: 'INVALID_VALUE' }]],
    [
      'an unknown agency',
      { targets: [{ agency: 'tax' }] },
      [{ path: 'targets.0.agency', code: 'INVALID_VALUE' }],
    ],
    ['no targets', { targets: [] }, [{ path: 'targets', code: 'TOO_SHORT' }]],
    [
      '21 targets',
      { targets: Array.from({ length: 21 }, (_, i) => ({ agency: 'bank', institution: `B${i}` })) },
      [{ path: 'targets', code: 'TOO_LONG' }],
    ],
    [
      'a duplicate target',
      { targets: [{ agency: 'bank' }, { agency: 'real-estate' }, { agency: 'bank' }] },
      [{ path: 'targets.2', code: 'DUPLICATE_TARGET' }],
    ],
    [
      'a notice number over 64 characters',
      { noticeNo: 'x'.repeat(65) },
      [{ path: 'noticeNo', code: 'TOO_LONG' }],
    ],
    ['a blank legal basis', { legalBasis: '   ' }, [{ path: 'legalBasis', code: 'TOO_SHORT' }]],
    [
      'an issue time without an offset',
      { issuedAt: '2026-11-23T09:00:00' },
      [{ path: 'issuedAt', code: 'INVALID_FORMAT' }],
    ],
    ['a number where a string belongs', { noticeNo: 42 }, [{ path: 'noticeNo', code: 'INVALID_TYPE' }]],
    ['an unknown top-level field', { priority: 'high' }, [{ path: 'priority', code: 'UNKNOWN_FIELD' }]],
    [
      'an unknown nested field',
      { court: { ...example.court, province: '川' } },
      [{ path: 'court.province', code: 'UNKNOWN_FIELD' }],
    ],
    ['an unknown param', { params: { amount: 1 } }, [{ path: 'params.amount', code: 'UNKNOWN_FIELD' }]],
    [
      'a bad phone number',
      { officer: { name: '王法官', phone: 'call me' } },
      [{ path: 'officer.phone', code: 'INVALID_PHONE' }],
    ],
    [
      'a bad account number',
      { params: { accountNo: '6222-0202' } },
      [{ path: 'params.accountNo', code: 'INVALID_ACCOUNT_NO' }],
    ],
    [
      'a bad unit number',
      { params: { unitNo: '510104001001GB00001F0001' } },
      [{ path: 'params.unitNo', code: 'INVALID_UNIT_NO' }],
    ],
    ['a bad plate', { params: { plate: '川A1234' } }, [{ path: 'params.plate', code: 'INVALID_PLATE' }]],
    [
      'a query to an agency that cannot locate',
      { measure: 'locate' },
      [
        { path: 'targets.0.agency', code: 'MEASURE_NOT_SUPPORTED' },
        { path: 'targets.1.agency', code: 'MEASURE_NOT_SUPPORTED' },
        { path: 'targets.3.agency', code: 'MEASURE_NOT_SUPPORTED' },
      ],
    ],
  ])('%s', (_name, patch, expected) => {
    expect(issuesOf({ ...example, ...patch })).toEqual(expected);
  });

  it('owedFen: only on money notices, never below the amount asked for', () => {
    const owedAll = { ...freeze, params: { ...freeze.params, owedFen: freeze.params.amountFen } };
    expect(validateNotice(owedAll).ok).toBe(true);
    expect(
      issuesOf({ ...freeze, params: { ...freeze.params, owedFen: freeze.params.amountFen - 1 } }),
    ).toEqual([{ path: 'params.amountFen', code: 'AMOUNT_EXCEEDS_OWED' }]);
    expect(issuesOf({ ...example, params: { owedFen: 100 } })).toEqual([
      { path: 'params.owedFen', code: 'OWED_NOT_FOR_MEASURE' },
    ]);
    expect(issuesOf({ ...freeze, params: { ...freeze.params, owedFen: 2 ** 53 } })).toContainEqual({
      path: 'params.owedFen',
      code: 'NUMBER_OUT_OF_RANGE',
    });
  });

  it('a money measure without amountFen', () => {
    const { amountFen: _, ...params } = freeze.params;
    expect(issuesOf({ ...freeze, params })).toEqual([{ path: 'params.amountFen', code: 'AMOUNT_REQUIRED' }]);
  });

  it.each([
    [0, 'TOO_SMALL'],
    [-100, 'TOO_SMALL'],
    [12.5, 'NOT_INTEGER'],
    ['100', 'INVALID_TYPE'],
  ])('amountFen %j (%s)', (amountFen, code) => {
    expect(issuesOf({ ...freeze, params: { ...freeze.params, amountFen } })).toEqual([
      { path: 'params.amountFen', code },
    ]);
  });

  it('a freeze term beyond one year for a bank deposit (民事诉讼法解释 art. 487)', () => {
    expect(issuesOf({ ...freeze, params: { ...freeze.params, termDays: 366 } })).toEqual([
      { path: 'params.termDays', code: 'TERM_EXCEEDS_LIMIT' },
    ]);
  });

  it('a seal term beyond two years for a vehicle but not three for real estate', () => {
    const seal = {
      ...example,
      measure: 'seal',
      params: { termDays: 1000, unitNo: '510104001001GB00001F00010001', plate: '川A12345' },
    };
    expect(validateNotice({ ...seal, targets: [{ agency: 'real-estate' }] }).ok).toBe(true);
    expect(
      issuesOf({ ...seal, targets: [{ agency: 'real-estate' }, { agency: 'public-security' }] }),
    ).toEqual([{ path: 'params.termDays', code: 'TERM_EXCEEDS_LIMIT' }]);
  });

  it('every missing field at once, as REQUIRED', () => {
    expect(issuesOf({}).map((i) => i.path)).toEqual([
      'noticeNo',
      'caseNo',
      'court',
      'officer',
      'debtor',
      'measure',
      'targets',
      'params',
      'legalBasis',
      'issuedAt',
    ]);
    expect(new Set(issuesOf({}).map((i) => i.code))).toEqual(new Set(['REQUIRED']));
  });

  it('field errors and cross-field errors in one answer', () => {
    const input = {
      ...freeze,
      officer: { phone: 'x' },
      targets: [{ agency: 'bank' }, { agency: 'bank' }],
      params: { amountFen: 1.5, termDays: 400 },
    };
    expect(issuesOf(input)).toEqual([
      { path: 'officer.name', code: 'REQUIRED' },
      { path: 'officer.phone', code: 'INVALID_PHONE' },
      { path: 'params.amountFen', code: 'NOT_INTEGER' },
      { path: 'params.accountNo', code: 'ACCOUNT_REQUIRED' },
      { path: 'targets.1', code: 'DUPLICATE_TARGET' },
      { path: 'params.termDays', code: 'TERM_EXCEEDS_LIMIT' },
    ]);
  });

  it('anything that is not an object', () => {
    for (const input of [null, 'notice', 42, []])
      expect(issuesOf(input)).toEqual([{ path: '', code: 'INVALID_TYPE' }]);
  });

  it('gives people a message for every issue', () => {
    const result = validateNotice({ ...example, debtor: { ...example.debtor, idNumber: 'x' }, extra: 1 });
    expect(result.ok).toBe(false);
    if (!result.ok) for (const i of result.issues) expect(i.message.length).toBeGreaterThan(0);
  });
});

describe('confirming a failed credit code check', () => {
  const pilot = { ...example, debtor: { ...organisation, creditCode: '91350100M000100Y42' } };

  it('is a confirmation-only failure until confirmed', () => {
    const result = validateNotice(pilot);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(needsConfirmationOnly(result.issues)).toBe(true);
  });

  it('passes with a warning once the officer confirms it', () => {
    const result = validateNotice({ ...pilot, confirmWarnings: ['CREDIT_CODE_CHECK_FAILED'] });
    expect(result).toMatchObject({ ok: true, warnings: ['CREDIT_CODE_CHECK_FAILED'] });
  });

  it('confirmation does not excuse a malformed code', () => {
    const malformed = {
      ...pilot,
      debtor: { ...organisation, creditCode: 'SHORT' },
      confirmWarnings: ['CREDIT_CODE_CHECK_FAILED'],
    };
    expect(issuesOf(malformed)).toEqual([{ path: 'debtor.creditCode', code: 'INVALID_CREDIT_CODE' }]);
  });

  it('other problems alongside it make it a plain validation failure', () => {
    const result = validateNotice({ ...pilot, measure: 'arrest' });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(needsConfirmationOnly(result.issues)).toBe(false);
  });
});

describe('noticeSubmissionSchema (raw zod)', () => {
  it('reports an invalid resident ID at debtor.idNumber with message INVALID_RESIDENT_ID', () => {
    const result = noticeSubmissionSchema.safeParse({
      ...example,
      debtor: { ...example.debtor, idNumber: '110105194912310021' },
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues).toMatchObject([
      { path: ['debtor', 'idNumber'], message: 'INVALID_RESIDENT_ID' },
    ]);
  });

  it('applies the cross-field rules too', () => {
    const result = noticeSubmissionSchema.safeParse({
      ...example,
      debtor: { ...organisation, creditCode: '91350100M000100Y42' },
    });
    expect(result.error?.issues).toMatchObject([
      { path: ['debtor', 'creditCode'], message: 'CREDIT_CODE_CHECK_FAILED' },
    ]);
  });
});

const assetParams = {
  accountNo: '6222020200112233445',
  unitNo: '510104001001GB00001F00010001',
  plate: '川A12345',
};

describe('a case number belongs to its court (法〔2015〕137号)', () => {
  const otherCourts = { ...example, caseNo: '(2026)川0105执7777号' };

  it("refuses another court's 案号 at caseNo", () => {
    expect(issuesOf(otherCourts)).toEqual([{ path: 'caseNo', code: 'CASE_NOT_OF_COURT' }]);
  });

  it.each(['cross', 'designated', 'elevated'])('accepts it with a %s jurisdiction decision', (kind) => {
    const jurisdiction = { kind, decisionNo: '(2026)川01执他12号决定书' };
    const result = validateNotice({ ...otherCourts, jurisdiction });
    expect(result).toMatchObject({ ok: true, value: { jurisdiction } });
  });

  it.each<[string, unknown, string]>([
    ['an unknown kind', { kind: 'friendly', decisionNo: '(2026)川01执他12号' }, 'jurisdiction.kind'],
    [
      'a decision number that is no 案号',
      { kind: 'cross', decisionNo: '上级法院同意' },
      'jurisdiction.decisionNo',
    ],
    ['no decision number', { kind: 'cross' }, 'jurisdiction.decisionNo'],
  ])('refuses a jurisdiction with %s', (_, jurisdiction, path) => {
    expect(issuesOf({ ...otherCourts, jurisdiction }).map((i) => i.path)).toEqual([path]);
  });
});

describe('required details of holds and deductions', () => {
  const base = { ...example, params: { amountFen: 100, termDays: 30, ...assetParams } };
  const without = (measure: string, agency: string, drop: string) => {
    const params: Record<string, unknown> = { ...base.params };
    delete params[drop];
    return issuesOf({
      ...base,
      measure,
      targets: [{ agency }],
      params: paramsOf(measure, params),
    });
  };

  it.each([
    ['freeze', 'bank', 'accountNo', 'ACCOUNT_REQUIRED'],
    ['renew-freeze', 'bank', 'accountNo', 'ACCOUNT_REQUIRED'],
    ['release', 'bank', 'accountNo', 'ACCOUNT_REQUIRED'],
    ['deduct', 'bank', 'accountNo', 'ACCOUNT_REQUIRED'],
    ['freeze', 'provident-fund', 'accountNo', 'ACCOUNT_REQUIRED'],
    ['deduct', 'provident-fund', 'accountNo', 'ACCOUNT_REQUIRED'],
    ['freeze', 'bank', 'termDays', 'TERM_REQUIRED'],
    ['renew-freeze', 'provident-fund', 'termDays', 'TERM_REQUIRED'],
    ['seal', 'real-estate', 'termDays', 'TERM_REQUIRED'],
    ['renew-seal', 'public-security', 'termDays', 'TERM_REQUIRED'],
    ['seal', 'real-estate', 'unitNo', 'UNIT_NO_REQUIRED'],
    ['renew-seal', 'real-estate', 'unitNo', 'UNIT_NO_REQUIRED'],
    ['unseal', 'real-estate', 'unitNo', 'UNIT_NO_REQUIRED'],
    ['seal', 'public-security', 'plate', 'PLATE_REQUIRED'],
    ['unseal', 'public-security', 'plate', 'PLATE_REQUIRED'],
  ])('%s at %s without %s is %s', (measure, agency, drop, code) => {
    expect(without(measure, agency, drop)).toEqual([{ path: `params.${drop}`, code }]);
  });

  it('a provident-fund account may carry letters and hyphens; a bank account may not', () => {
    const params = { ...base.params, accountNo: 'PF-51-0012345' };
    expect(
      validateNotice({ ...base, measure: 'freeze', targets: [{ agency: 'provident-fund' }], params }).ok,
    ).toBe(true);
    expect(issuesOf({ ...base, measure: 'freeze', targets: [{ agency: 'bank' }], params })).toEqual([
      { path: 'params.accountNo', code: 'INVALID_ACCOUNT_NO' },
    ]);
  });

  it('every measure at every able agency passes with its details and fails without them', () => {
    const pairs = fc.constantFrom(...MEASURES).chain((measure: Measure) =>
      fc.record({
        measure: fc.constant(measure),
        agency: fc.constantFrom(...AGENCY_KINDS.filter((a) => agencySupports(a, measure))),
      }),
    );
    fc.assert(
      fc.property(pairs, ({ measure, agency }) => {
        const params = paramsOf(measure, base.params);
        expect(validateNotice({ ...base, measure, targets: [{ agency }], params }).ok).toBe(true);
        const needed = REQUIRED_ASSET_PARAM[agency][measure];
        if (needed) expect(without(measure, agency, needed).map((i) => i.path)).toEqual([`params.${needed}`]);
      }),
    );
  });
});

describe('terms count to the corresponding date (民法典 art. 202)', () => {
  const freezeOn = (issuedAt: string, termDays: number) => ({
    ...freeze,
    issuedAt,
    params: { ...freeze.params, termDays },
  });

  it('a one-year freeze issued 2027-03-01 may run 366 days (it spans 2028-02-29), not 367', () => {
    expect(validateNotice(freezeOn('2027-03-01T09:00:00+08:00', 366)).ok).toBe(true);
    expect(issuesOf(freezeOn('2027-03-01T09:00:00+08:00', 367))).toEqual([
      { path: 'params.termDays', code: 'TERM_EXCEEDS_LIMIT' },
    ]);
  });

  it('a one-year freeze issued 2028-01-15 spans 29 February 2028: 366 days', () => {
    expect(validateNotice(freezeOn('2028-01-15T09:00:00+08:00', 366)).ok).toBe(true);
  });

  it('a term measure issued before 2005 is refused with a code, never a RangeError', () => {
    expect(issuesOf(freezeOn('2004-06-01T09:00:00+08:00', 30))).toEqual([
      { path: 'issuedAt', code: 'ISSUED_AT_OUT_OF_RANGE' },
    ]);
  });
});

describe('issuedAt within the window the hub can judge', () => {
  const now = new Date('2026-11-23T10:00:00+08:00');

  it.each([
    ['0001-01-01T00:00:00Z', false],
    ['2004-12-31T15:59:59Z', false], // 2004-12-31 in Shanghai
    ['2005-01-01T00:00:00+08:00', true],
    ['2026-11-24T10:00:00+08:00', true], // a day ahead: clocks differ
    ['2026-11-24T10:00:01+08:00', false],
    ['2999-01-01T00:00:00Z', false],
  ])('%s is accepted: %s', (issuedAt, ok) => {
    const result = validateNotice({ ...example, issuedAt }, { now });
    expect(result.ok).toBe(ok);
    // Year 1 and 2999 also make the 1949 debtor unborn or over 130: reported as well.
    if (!result.ok) {
      expect(result.issues).toContainEqual(
        expect.objectContaining({ path: 'issuedAt', code: 'ISSUED_AT_OUT_OF_RANGE' }),
      );
    }
  });

  it('without a clock only the lower bound applies', () => {
    expect(validateNotice({ ...example, issuedAt: '2030-01-01T00:00:00+08:00' }).ok).toBe(true);
  });
});

describe('resident IDs in a notice', () => {
  it('a lower-case x is normalised to X in the accepted notice', () => {
    const result = validateNotice({
      ...example,
      debtor: { ...example.debtor, idNumber: '11010519491231002x' },
    });
    expect(result).toMatchObject({ ok: true, value: { debtor: { idNumber: '11010519491231002X' } } });
  });

  it('a 15-digit first-generation ID is converted to its 18-digit form', () => {
    const rep = { name: '张某', idNumber: '510104800101001' };
    const result = validateNotice({ ...example, debtor: { ...organisation, legalRepresentative: rep } });
    expect(result).toMatchObject({
      ok: true,
      value: { debtor: { legalRepresentative: { idNumber: '510104198001010014' } } },
    });
  });

  it.each([
    ['born after the notice was issued', '110101202611240018'],
    ['born in the future', '110101209901010011'],
    ['over 130 years old', '440524188001010014'],
    ['region 000000', '000000198001010016'],
  ])('refuses an ID %s', (_, idNumber) => {
    expect(issuesOf({ ...example, debtor: { ...example.debtor, idNumber } })).toEqual([
      { path: 'debtor.idNumber', code: 'INVALID_RESIDENT_ID' },
    ]);
  });
});

describe('generated notices', () => {
  const measureWithTargets = fc.constantFrom(...MEASURES).chain((measure: Measure) => {
    const able = AGENCY_KINDS.filter((a) => agencySupports(a, measure));
    return fc.record({
      measure: fc.constant(measure),
      targets: fc.uniqueArray(fc.constantFrom(...able), { minLength: 1, maxLength: able.length }),
    });
  });
  const debtor = fc.oneof(
    fc.record({
      kind: fc.constant('person'),
      name: fc.constantFrom('李某', '王某某'),
      idNumber: residentIdArb,
    }),
    fc.record({
      kind: fc.constant('organisation'),
      name: fc.constant('某某有限公司'),
      creditCode: creditCodeArb,
      // An organisation's exit restriction names the person it binds (EXIT_RESTRICTION_NEEDS_PERSON).
      legalRepresentative: fc.record({ name: fc.constant('张某'), idNumber: residentIdArb }),
    }),
  );
  const notice = fc
    .record({
      mt: measureWithTargets,
      debtor,
      caseNo: caseNoArb,
      amountFen: fc.integer({ min: 1, max: 2 ** 50 }),
    })
    .map(({ mt, debtor, caseNo, amountFen }) => ({
      ...example,
      caseNo: formatCaseNo(caseNo),
      // The court the case belongs to: its own code, or for a pre-2016 number its province's high court.
      court: { code: caseNo.legacy ? caseNo.court[0] : caseNo.court, name: '某人民法院' },
      debtor,
      measure: mt.measure,
      targets: mt.targets.map((agency) => ({ agency })),
      params: paramsOf(mt.measure, { amountFen, termDays: 30, ...assetParams }),
    }));

  it('valid ones all pass', () => {
    fc.assert(
      fc.property(notice, (n) => {
        expect(validateNotice(n)).toMatchObject({ ok: true, warnings: [] });
      }),
    );
  });

  it('one changed resident ID character is always caught at debtor.idNumber', () => {
    const arb = fc
      .tuple(notice, residentIdArb, fc.integer({ min: 0, max: 17 }), fc.constantFrom(...'0123456789X'))
      .filter(([, id, at, to]) => id[at] !== to);
    fc.assert(
      fc.property(arb, ([n, id, at, to]) => {
        const debtor = { kind: 'person', name: '李某', idNumber: id.slice(0, at) + to + id.slice(at + 1) };
        expect(issuesOf({ ...n, debtor })).toEqual([
          { path: 'debtor.idNumber', code: 'INVALID_RESIDENT_ID' },
        ]);
      }),
    );
  });
});

describe('a listing’s term runs from its decision (法释〔2017〕7号 arts. 2, 5)', () => {
  const listing = (issuedAt: string, params: object = {}) => ({
    ...example,
    measure: 'dishonest-list',
    targets: [],
    issuedAt,
    params: { ground: 'evades-enforcement', ...params },
  });
  const at = (now: string) => ({ now: new Date(now) });
  const issues = (n: object, o: { now: Date }) => {
    const r = validateNotice(n, o);
    return r.ok ? [] : r.issues.map((i) => [i.path, i.code]);
  };

  it('refuses a decision whose whole term has passed, at issuedAt; one with time left is listed', () => {
    expect(issues(listing('2024-06-01T09:00:00+08:00'), at('2026-12-06T00:00:00Z'))).toEqual([
      ['issuedAt', 'LISTING_TERM_ENDED'],
    ]);
    expect(issues(listing('2024-12-07T09:00:00+08:00'), at('2026-12-06T00:00:00Z'))).toEqual([]);
    // An extension counts too: 2 + 1 years from a 2024 decision is still running.
    const aggravated = { ground: 'obstructs-enforcement', extensionYears: 1 };
    expect(issues(listing('2024-06-01T09:00:00+08:00', aggravated), at('2026-12-06T00:00:00Z'))).toEqual([]);
    // Ground (1) alone has no fixed term: it stands until the debtor performs, however old the decision.
    expect(
      issues(
        listing('2015-06-01T09:00:00+08:00', { ground: 'able-but-refuses' }),
        at('2026-12-06T00:00:00Z'),
      ),
    ).toEqual([]);
  });
});

describe('an organisation is restricted from exit through its persons (民事诉讼法 第二百六十六条)', () => {
  const bare = { kind: 'organisation', name: '成都某某贸易有限公司', creditCode: '91350100M000100Y43' };
  const exit = (measure: string, debtor: unknown) => ({
    ...example,
    measure,
    targets: [{ agency: 'public-security' }],
    params: {},
    debtor,
  });
  const principal = { role: 'principal', name: '赵某', idNumber: '510104198001010014' };

  it.each(['restrict-exit', 'restrict-exit-lift'])(
    '%s for an organisation naming nobody is refused at debtor',
    (measure) => {
      expect(issuesOf(exit(measure, bare))).toEqual([
        { path: 'debtor', code: 'EXIT_RESTRICTION_NEEDS_PERSON' },
      ]);
      expect(issuesOf(exit(measure, { ...bare, responsiblePersons: [] }))).toEqual([
        { path: 'debtor', code: 'EXIT_RESTRICTION_NEEDS_PERSON' },
      ]);
    },
  );

  it.each(['restrict-exit', 'restrict-exit-lift'])(
    '%s is accepted with a legal representative or a responsible person',
    (measure) => {
      expect(validateNotice(exit(measure, organisation)).ok).toBe(true);
      expect(validateNotice(exit(measure, { ...bare, responsiblePersons: [principal] })).ok).toBe(true);
      expect(validateNotice(exit(measure, { ...example.debtor })).ok).toBe(true);
    },
  );

  it('checks every responsible person’s birth date, and refuses a person named twice in one notice', () => {
    const withCheck = (first17: string) => first17 + residentIdCheckChar(first17);
    const unborn = { role: 'principal', name: '钱某', idNumber: withCheck('51010420300101001') };
    const tooOld = { role: 'directly-responsible', name: '孙某', idNumber: withCheck('51010418900101001') };
    expect(
      issuesOf(exit('restrict-exit', { ...bare, responsiblePersons: [principal, unborn, tooOld] })),
    ).toEqual([
      { path: 'debtor.responsiblePersons.1.idNumber', code: 'INVALID_RESIDENT_ID' },
      { path: 'debtor.responsiblePersons.2.idNumber', code: 'INVALID_RESIDENT_ID' },
    ]);
    // The legal representative named again as a responsible person, and one responsible person twice (a 15-digit
    // ID is the same person as its 18-digit form).
    const rep = organisation.legalRepresentative;
    const again = { role: 'principal', name: '张某', idNumber: rep.idNumber };
    const twice = [principal, { ...principal, role: 'directly-responsible' }];
    expect(issuesOf(exit('restrict-exit', { ...organisation, responsiblePersons: [again] }))).toEqual([
      { path: 'debtor.responsiblePersons.0.idNumber', code: 'DUPLICATE_PERSON' },
    ]);
    expect(issuesOf(exit('restrict-exit', { ...bare, responsiblePersons: twice }))).toEqual([
      { path: 'debtor.responsiblePersons.1.idNumber', code: 'DUPLICATE_PERSON' },
    ]);
    const old15 = '510104800101001';
    const same = [
      { role: 'principal', name: '周某', idNumber: old15 },
      { role: 'directly-responsible', name: '周某', idNumber: withCheck('51010419800101001') },
    ];
    expect(issuesOf(exit('restrict-exit', { ...bare, responsiblePersons: same }))).toEqual([
      { path: 'debtor.responsiblePersons.1.idNumber', code: 'DUPLICATE_PERSON' },
    ]);
  });

  it('the text says whom to name; a lifting for a bare organisation is not concerned', () => {
    const issue = (validateNotice(exit('restrict-exit', bare)) as { issues: { message: string }[] })
      .issues[0];
    expect(issue?.message).toMatch(/legalRepresentative/);
    expect(validateNotice({ ...exit('restrict-consumption-lift', bare), targets: [] }).ok).toBe(true);
  });

  it('an organisation is listed or restricted in consumption only with its legal representative named', () => {
    for (const measure of ['restrict-consumption', 'dishonest-list']) {
      const n = { ...exit(measure, bare), targets: [], params: punishmentParams(measure) };
      const r = validateNotice(n) as {
        ok: boolean;
        issues?: { path: string; code: string; message: string }[];
      };
      expect(r.ok).toBe(false);
      expect(r.issues).toEqual([
        expect.objectContaining({
          path: 'debtor.legalRepresentative',
          code: 'LEGAL_REPRESENTATIVE_REQUIRED',
        }),
      ]);
      expect(r.issues?.[0]?.message).toMatch(/法释〔2015〕17号 art\. 3/);
      // Named: admitted (its persons become entries of their own, bound with it).
      const named = { ...bare, legalRepresentative: { name: '张某', idNumber: '11010519491231002X' } };
      expect(validateNotice({ ...n, debtor: named }).ok).toBe(true);
    }
  });
});

/**
 * A measure's params from a full set of asset details: a punishment notice carries none of them (no term, amount
 * or asset: PARAM_NOT_FOR_MEASURE), only what punishmentParams gives it.
 */
function paramsOf(measure: string, assetDetails: Record<string, unknown>): Record<string, unknown> {
  return isPunishmentMeasure(measure as Measure)
    ? punishmentParams(measure)
    : { ...assetDetails, ...punishmentParams(measure) };
}

/** What a punishment notice must carry besides the rest: a listing its ground, a removal its reason. */
function punishmentParams(measure: string): Record<string, string> {
  if (measure === 'dishonest-list') return { ground: 'able-but-refuses' };
  if (measure === 'dishonest-list-removal') return { removalReason: 'performed' };
  return {};
}

describe('punishment params', () => {
  const listing = { ...example, measure: 'dishonest-list', targets: [] };
  it('groundAroseAt: on a listing (when its conduct happened) and a withdrawal, never after issuedAt, on nothing else', () => {
    const before = '2026-11-20T09:00:00+08:00';
    expect(
      validateNotice({ ...listing, params: { ground: 'evades-enforcement', groundAroseAt: before } }).ok,
    ).toBe(true);
    expect(
      issuesOf({
        ...listing,
        params: { ground: 'evades-enforcement', groundAroseAt: '2026-11-24T09:00:00+08:00' },
      }),
    ).toEqual([{ path: 'params.groundAroseAt', code: 'GROUND_AROSE_AFTER_ISSUE' }]);
    // issuedAt may run a day ahead of the hub's clock; what groundAroseAt dates has happened.
    const now = new Date('2026-11-23T09:00:00+08:00');
    const ahead = { ...listing, issuedAt: '2026-11-23T20:00:00+08:00' };
    const r = validateNotice(
      { ...ahead, params: { ground: 'evades-enforcement', groundAroseAt: '2026-11-23T19:00:00+08:00' } },
      { now },
    ) as { ok: boolean; issues?: { path: string; code: string }[] };
    expect(r.issues?.map((i) => [i.path, i.code])).toEqual([['params.groundAroseAt', 'IN_THE_FUTURE']]);
    expect(
      validateNotice({ ...ahead, params: { ground: 'evades-enforcement', groundAroseAt: before } }, { now })
        .ok,
    ).toBe(true);
    expect(issuesOf({ ...freeze, params: { ...freeze.params, groundAroseAt: before } })).toEqual([
      { path: 'params.groundAroseAt', code: 'PARAM_NOT_FOR_MEASURE' },
    ]);
    expect(
      issuesOf({ ...listing, measure: 'restrict-consumption', params: { groundAroseAt: before } }),
    ).toEqual([{ path: 'params.groundAroseAt', code: 'PARAM_NOT_FOR_MEASURE' }]);
  });
  it('refuses a ground named twice, in otherGrounds or as the main ground', () => {
    const twice = {
      ground: 'evades-enforcement',
      otherGrounds: ['breaches-settlement', 'breaches-settlement'],
    };
    expect(issuesOf({ ...listing, params: twice })).toEqual([
      { path: 'params.otherGrounds.1', code: 'DUPLICATE_GROUND' },
    ]);
    const again = { ground: 'evades-enforcement', otherGrounds: ['evades-enforcement'] };
    expect(issuesOf({ ...listing, params: again })).toEqual([
      { path: 'params.otherGrounds.0', code: 'DUPLICATE_GROUND' },
    ]);
    const fine = { ground: 'evades-enforcement', otherGrounds: ['breaches-settlement'], extensionYears: 2 };
    expect(validateNotice({ ...listing, params: fine }).ok).toBe(true);
  });

  it('refuses a term, an amount or an asset on every punishment measure: the rules set its term', () => {
    const details = { termDays: 30, amountFen: 1, ...assetParams }; // owedFen: OWED_NOT_FOR_MEASURE
    fc.assert(
      fc.property(
        fc.constantFrom(...MEASURES.filter((m) => isPunishmentMeasure(m))),
        fc.constantFrom(...Object.keys(details)),
        (measure, key) => {
          const params = { ...punishmentParams(measure), [key]: details[key as keyof typeof details] };
          const person = { kind: 'person', name: '张某', idNumber: '110000197001010006' };
          expect(issuesOf({ ...example, measure, targets: [], debtor: person, params })).toEqual([
            { path: `params.${key}`, code: 'PARAM_NOT_FOR_MEASURE' },
          ]);
        },
      ),
    );
  });
});
