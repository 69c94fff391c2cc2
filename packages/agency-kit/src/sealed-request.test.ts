import { randomUUID } from 'node:crypto';
import { Debtor, type NoticeSubmission, type RequestDispatched } from '@hub/contracts';
import { Sealer, SealVerifier } from '@hub/seal';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkSealedRequest } from './sealed-request.js';

const NOTICE: NoticeSubmission = {
  noticeNo: '(2026)川0104执1234号-协01',
  caseNo: '(2026)川0104执1234号',
  court: { code: '川0104', name: '成都市锦江区人民法院' },
  officer: { name: '王法官', phone: '028-00000000' },
  debtor: {
    kind: 'person',
    name: '李某',
    idNumber: '11010519491231002X',
    creditCode: '',
    responsiblePersons: [],
  },
  measure: 'query',
  targets: [
    { agency: 'bank', institution: '' },
    { agency: 'real-estate', institution: 'CD-REG' },
  ],
  params: { amountFen: 100_000, accountNo: '', unitNo: '', plate: '', otherGrounds: [] },
  legalBasis: '(2026)川0104执1234号执行裁定书',
  issuedAt: '2026-11-23T09:00:00+08:00',
  confirmWarnings: [],
};
const SEAL = new Sealer('demo').seal('川0104', NOTICE);
const verifier = new SealVerifier('demo');
const verify = verifier.check.bind(verifier);

/** A request as the query service makes it: routing plus copies of the sealed notice. */
const genuine = (over: Partial<RequestDispatched> = {}): RequestDispatched => ({
  requestId: randomUUID(),
  noticeId: randomUUID(),
  agency: 'bank',
  institution: 'ICBC',
  measure: NOTICE.measure,
  caseNo: NOTICE.caseNo,
  noticeNo: NOTICE.noticeNo,
  court: NOTICE.court,
  debtor: NOTICE.debtor,
  params: NOTICE.params,
  legalBasis: NOTICE.legalBasis,
  notice: NOTICE,
  seal: SEAL,
  ...over,
});

describe('checkSealedRequest', () => {
  it('takes a genuine request, and what it keeps is the sealed notice itself', () => {
    const r = genuine();
    const check = checkSealedRequest('bank', r, verify);
    expect(check).toMatchObject({ ok: true, request: { requestId: r.requestId, institution: 'ICBC' } });
    expect(check.ok && check.request.notice).toBe(NOTICE);
    expect(check.ok && check.request.reusedFrom).toBeNull();
  });

  it('takes a request that leaves the copies out: the agency is shown the sealed notice anyway', () => {
    const bare = genuine({
      caseNo: '',
      noticeNo: '',
      legalBasis: '',
      court: undefined,
      debtor: undefined,
      params: undefined,
    });
    expect(checkSealedRequest('bank', bare, verify).ok).toBe(true);
  });

  it('takes a reuse record and says which earlier request it reused', () => {
    const earlier = randomUUID();
    const check = checkSealedRequest('bank', genuine({ reusedFromRequestId: earlier }), verify);
    expect(check.ok && check.request.reusedFrom).toBe(earlier);
  });

  const otherDebtor = { ...NOTICE.debtor!, idNumber: '110105194912310029', name: '张某' };
  it.each([
    ['a changed debtor', { debtor: otherDebtor }, 'SEAL_MISMATCH', 'debtor'],
    [
      'a changed amount',
      { params: { ...NOTICE.params!, amountFen: 999_999_999 } },
      'SEAL_MISMATCH',
      'params',
    ],
    ['another case number', { caseNo: '(2026)川0105执1号' }, 'SEAL_MISMATCH', 'caseNo'],
    ['another court', { court: { code: '川0105', name: '某法院' } }, 'SEAL_MISMATCH', 'court'],
    ['another legal basis', { legalBasis: 'x' }, 'SEAL_MISMATCH', 'legalBasis'],
    ['another measure', { measure: 'deduct' }, 'SEAL_MISMATCH', 'measure'],
    ['no measure', { measure: '' }, 'SEAL_MISMATCH', 'measure'],
    ['another agency kind', { agency: 'real-estate', institution: 'CD-REG' }, 'NOT_ADDRESSED', ''],
    ['an institution the notice does not name', { agency: 'real-estate' }, 'NOT_ADDRESSED', ''],
    ['no institution', { institution: '' }, 'REQUEST_MALFORMED', ''],
    ['a request id that is not a UUID', { requestId: 'x' }, 'REQUEST_MALFORMED', ''],
    ['a tampered notice', { notice: { ...NOTICE, debtor: otherDebtor } }, 'SEAL_INVALID', ''],
    ['another court’s key', { seal: { ...SEAL, keyId: 'court:川0105' } }, 'SEAL_UNKNOWN_KEY', ''],
    ['no seal', { seal: undefined }, 'SEAL_MISSING', ''],
  ] as [string, Partial<RequestDispatched>, string, string][])('refuses %s (%s)', (_, over, code, field) => {
    // The bank adapter checks bank requests; the real-estate rows check addressing from that side too.
    const agency = over.agency === 'real-estate' && !over.institution ? 'real-estate' : 'bank';
    const check = checkSealedRequest(agency, genuine(over), verify);
    expect(check).toMatchObject({ ok: false, code });
    if (!check.ok) expect(check.reason).toContain(field);
  });

  it('takes a target that names this institution, and only for that institution', () => {
    const r = genuine({ agency: 'real-estate', institution: 'CD-REG' });
    expect(checkSealedRequest('real-estate', r, verify).ok).toBe(true);
    const other = genuine({ agency: 'real-estate', institution: 'SC-REG' });
    expect(checkSealedRequest('real-estate', other, verify)).toMatchObject({ code: 'NOT_ADDRESSED' });
  });

  it('takes a punishment notice at every institution of every kind acting on it, whatever its targets', () => {
    const broadcast = (measure: string, agency: string, institution: string) => {
      const notice: NoticeSubmission = {
        ...NOTICE,
        measure,
        targets: [],
        params: { ...NOTICE.params!, ground: 'able-but-refuses' },
      };
      const seal = new Sealer('demo').seal('川0104', notice);
      return checkSealedRequest(
        agency,
        genuine({ agency, institution, measure, notice, seal, params: notice.params }),
        verify,
      );
    };
    expect(broadcast('dishonest-list', 'bank', 'ICBC').ok).toBe(true);
    expect(broadcast('dishonest-list', 'provident-fund', 'PF-510100').ok).toBe(true);
    expect(broadcast('restrict-exit', 'public-security', 'PSB-510100').ok).toBe(true);
    // 限制出境 is public security's alone: a bank is never addressed by it, seal or not.
    expect(broadcast('restrict-exit', 'bank', 'ICBC')).toMatchObject({ ok: false, code: 'NOT_ADDRESSED' });
    // A query is never broadcast: no target, nobody addressed.
    expect(broadcast('query', 'bank', 'ICBC')).toMatchObject({ ok: false, code: 'NOT_ADDRESSED' });
  });
});

describe('the debtor copy against the sealed debtor', () => {
  // Few distinct values, so generated pairs are often equal, equal but for an absent legal representative
  // against an empty one, or different in one field.
  const text = fc.constantFrom('', '李某', '张某', '11010519491231002X');
  const person = fc.record({ name: text, idNumber: text });
  const debtor = fc.record(
    {
      kind: fc.constantFrom('person', 'organisation'),
      name: text,
      idNumber: text,
      creditCode: text,
      legalRepresentative: fc.option(person, { nil: undefined }),
      responsiblePersons: fc.array(
        fc.record({ role: fc.constantFrom('principal', 'directly-responsible'), name: text, idNumber: text }),
        { maxLength: 2 },
      ),
    },
    { requiredKeys: ['kind', 'name', 'idNumber', 'creditCode', 'responsiblePersons'] },
  );

  it('is taken exactly when it encodes to the sealed bytes (defaults and absent fields alike)', () => {
    fc.assert(
      fc.property(debtor, debtor, fc.boolean(), (sealedDebtor, other, same) => {
        const copy = same ? structuredClone(sealedDebtor) : other;
        const notice = { ...NOTICE, debtor: sealedDebtor };
        const seal = new Sealer('demo').seal('川0104', notice);
        const check = checkSealedRequest('bank', genuine({ notice, seal, debtor: copy }), verify);
        const bytes = (d: Debtor) => Buffer.from(Debtor.encode(d).finish());
        const equal = bytes(copy).equals(bytes(sealedDebtor));
        expect(check.ok).toBe(equal);
        if (!check.ok)
          expect(check).toMatchObject({
            code: 'SEAL_MISMATCH',
            reason: 'debtor differs from the sealed notice',
          });
      }),
      { numRuns: 300 },
    );
  });
});
