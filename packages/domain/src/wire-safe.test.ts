import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateNotice } from './notice.ts';
import { isWireSafeText, textIssue, WIRE_LIMITS, wireSafetyIssues } from './wire-safe.ts';

/** Whether PostgreSQL's UTF-8 text would hold `s` unchanged: the UTF-8 round trip keeps it and no NUL. */
const utf8RoundTrips = (s: string) => !s.includes('\u0000') && Buffer.from(s).toString() === s;

describe('textIssue', () => {
  it.each([
    ['plain text', '(2026)川0104执1234号', undefined],
    ['a pair of surrogates (an emoji)', 'a😀b', undefined],
    ['a NUL', 'a\u0000b', 'NUL_CHARACTER'],
    ['a lone high surrogate', 'a\uD800b', 'LONE_SURROGATE'],
    ['a lone high surrogate at the end', 'ab\uDBFF', 'LONE_SURROGATE'],
    ['a lone low surrogate', '\uDC00ab', 'LONE_SURROGATE'],
    ['two high surrogates', '\uD800\uD800\uDC00', 'LONE_SURROGATE'],
    ['a reversed pair', '\uDC00\uD800', 'LONE_SURROGATE'],
  ])('%s', (_what, s, expected) => {
    expect(textIssue(s)).toBe(expected);
  });

  it('accepts exactly the strings that survive UTF-8 without NUL (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => isWireSafeText(s) === utf8RoundTrips(s)),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(
        fc
          .array(fc.constantFrom('a', '号', '\u0000', '\uD800', '\uDC00', '😀', '\uFFFD'))
          .map((a) => a.join('')),
        (s) => isWireSafeText(s) === utf8RoundTrips(s),
      ),
      { numRuns: 2000 },
    );
  });
});

describe('wireSafetyIssues', () => {
  it('names the path of bad text in values, in field names and in nested arrays', () => {
    const input = {
      ok: '李某',
      debtor: { name: 'a\u0000' },
      result: { accounts: [{ accountNo: '1' }, { ['bad\uD800key']: 1 }] },
      list: ['x', '\uDC00'],
    };
    expect(wireSafetyIssues(input).map(({ path, code }) => ({ path, code }))).toEqual([
      { path: 'debtor.name', code: 'NUL_CHARACTER' },
      { path: 'result.accounts.1.bad\\ud800key', code: 'LONE_SURROGATE' },
      { path: 'list.1', code: 'LONE_SURROGATE' },
    ]);
  });

  it('prefixes paths, refuses unsafe numbers, long text and names, and deep nesting', () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 10_000; i++) deep = [deep];
    const codes = (v: unknown) => wireSafetyIssues(v, ['answers', 3]).map((i) => `${i.path} ${i.code}`);
    expect(codes({ n: 2 ** 53 })).toEqual(['answers.3.n NUMBER_OUT_OF_RANGE']);
    expect(codes({ n: Number.POSITIVE_INFINITY })).toEqual(['answers.3.n NUMBER_OUT_OF_RANGE']);
    expect(codes({ n: -(2 ** 53 - 1), f: 0.5 })).toEqual([]);
    expect(codes({ t: 'x'.repeat(WIRE_LIMITS.maxTextLength + 1) })).toEqual(['answers.3.t TEXT_TOO_LONG']);
    expect(codes({ ['k'.repeat(WIRE_LIMITS.maxKeyLength + 1)]: 1 })[0]).toMatch(/KEY_TOO_LONG$/);
    expect(codes(deep)).toHaveLength(1);
    expect(codes(deep)[0]).toMatch(/NESTING_TOO_DEEP$/);
  });

  it('reports a bounded number of issues however many bad values there are', () => {
    expect(wireSafetyIssues(Array(10_000).fill('\u0000'))).toHaveLength(WIRE_LIMITS.maxIssues);
  });

  it('finds nothing in JSON made of safe text, and something wherever bad text is planted (property)', () => {
    const safeJson = fc.jsonValue({ maxDepth: 4 }).filter((v) => JSON.stringify(v).length < 20_000);
    fc.assert(
      fc.property(safeJson, (v) => {
        // fc.jsonValue produces well-formed strings; -0 and big doubles are numbers JSON carries anyway.
        const issues = wireSafetyIssues(v).filter((i) => i.code !== 'NUMBER_OUT_OF_RANGE');
        expect(issues).toEqual([]);
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(safeJson, fc.constantFrom('\u0000', '\uD800', '\uDFFF'), fc.boolean(), (v, bad, asKey) => {
        const planted = asKey ? { wrap: v, [`k${bad}`]: 1 } : { wrap: v, x: `a${bad}` };
        expect(wireSafetyIssues(planted).length).toBeGreaterThan(0);
      }),
      { numRuns: 500 },
    );
  });
});

describe('validateNotice refuses what the wire cannot carry', () => {
  const example = {
    noticeNo: '(2026)川0104执1234号-协01',
    caseNo: '(2026)川0104执1234号',
    court: { code: '川0104', name: '成都市锦江区人民法院' },
    officer: { name: '王法官', phone: '028-00000000' },
    debtor: { kind: 'person', name: '李某', idNumber: '11010519491231002X' },
    measure: 'query',
    targets: [{ agency: 'bank' }],
    params: {},
    legalBasis: '(2026)川0104执1234号执行裁定书',
    issuedAt: '2026-11-23T09:00:00+08:00',
  };
  const issuesOf = (input: unknown) => {
    const r = validateNotice(input);
    return r.ok ? [] : r.issues.map(({ path, code }) => ({ path, code }));
  };

  it('accepts the example', () => {
    expect(validateNotice(example).ok).toBe(true);
  });

  it.each([
    [
      'a NUL in the debtor name',
      { debtor: { ...example.debtor, name: '李\u0000某' } },
      'debtor.name',
      'NUL_CHARACTER',
    ],
    ['a lone surrogate in the legal basis', { legalBasis: '裁定书\uD83D' }, 'legalBasis', 'LONE_SURROGATE'],
    ['a NUL in a field name', { ['x\u0000']: 1 }, 'x\\u0000', 'NUL_CHARACTER'],
    ['a termDays beyond int32', { params: { termDays: 2 ** 31 } }, 'params.termDays', 'TOO_BIG'],
    [
      'an amount beyond the safe integers',
      { params: { amountFen: 2 ** 53 } },
      'params.amountFen',
      'NUMBER_OUT_OF_RANGE',
    ],
  ])('%s', (_what, overrides, path, code) => {
    expect(issuesOf({ ...example, ...overrides })).toContainEqual({ path, code });
  });

  it('never accepts a notice holding a string PostgreSQL would refuse or change (property)', () => {
    const fields = ['noticeNo', 'legalBasis', 'court.name', 'officer.name', 'debtor.name'] as const;
    fc.assert(
      fc.property(
        fc.constantFrom(...fields),
        fc.string(),
        fc.constantFrom('\u0000', '\uD800', '\uDC00'),
        (field, text, bad) => {
          const notice = structuredClone(example) as Record<string, Record<string, unknown> | unknown>;
          const [a, b] = field.split('.') as [string, string | undefined];
          const value = `名${text}${bad}`;
          if (b) (notice[a] as Record<string, unknown>)[b] = value;
          else notice[a] = value;
          expect(validateNotice(notice).ok).toBe(false);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('validateNotice on dates before any term rules', () => {
  it.each([
    ['a valid instant in 1900', '1900-01-01T00:00:00Z'],
    ['a date V8 reads leniently', '202\u00006-11-23T09:00:00+08:00'],
  ])('reports %s as an issue, never throws', (_what, issuedAt) => {
    const freeze = {
      noticeNo: '(2026)川0104执1234号-协01',
      caseNo: '(2026)川0104执1234号',
      court: { code: '川0104', name: '成都市锦江区人民法院' },
      officer: { name: '王法官' },
      debtor: { kind: 'person', name: '李某', idNumber: '11010519491231002X' },
      measure: 'freeze',
      targets: [{ agency: 'bank', institution: 'ICBC' }],
      params: { amountFen: 100, termDays: 365 },
      legalBasis: '裁定书',
      issuedAt,
    };
    const r = validateNotice(freeze);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues.map((i) => i.code)).toContain('ISSUED_AT_OUT_OF_RANGE');
  });
});
