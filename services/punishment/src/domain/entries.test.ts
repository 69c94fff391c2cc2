import type { NoticeSubmission } from '@hub/contracts';
import { subjectHash } from '@hub/interception';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { admitPunishments, type DebtorEntry, type PunishmentNotice } from './admission.js';
import { entriesPlacedBy, groundPathsOf, groundsOf, publicIdOf } from './entries.js';

const NOW = new Date('2026-11-20T02:00:00Z');
const REP = { name: '王总', idNumber: '110105194912310011' };
const company = {
  kind: 'organisation',
  name: '某某贸易有限公司',
  idNumber: '',
  creditCode: '91510100MA6CGUGA1W',
  legalRepresentative: REP,
  responsiblePersons: [
    { role: 'principal', name: '赵经理', idNumber: '110105194912310022' },
    { role: 'actual-controller', name: '王总', idNumber: REP.idNumber },
  ],
};
const notice = (measure: string, debtor: object, params: object = {}) =>
  ({
    caseNo: '(2026)川0104执1号',
    court: { code: '川0104', name: '锦江法院' },
    debtor,
    measure,
    params: { otherGrounds: [], ...params },
  }) as unknown as NoticeSubmission;
let n = 0;
const ids = () => `id-${n++}`;

describe('entriesPlacedBy', () => {
  it('counts a listing’s term from its decision (issuedAt), never from later than now', () => {
    const listed = (issuedAt: string) =>
      entriesPlacedBy(
        'N0',
        {
          ...notice(
            'dishonest-list',
            { kind: 'person', name: '李某', idNumber: REP.idNumber },
            { ground: 'evades-enforcement' },
          ),
          issuedAt,
        } as NoticeSubmission,
        NOW,
        ids,
      )[0]!;
    // Decided a year before the hub received it: two years from the decision, one left.
    expect(listed('2025-11-20T09:00:00+08:00').endsAt).toEqual(new Date('2027-11-20T01:00:00Z'));
    // issuedAt a little ahead of the hub's clock (allowed): from now.
    expect(listed('2026-11-20T12:00:00+08:00').endsAt).toEqual(new Date('2028-11-20T02:00:00Z'));
    // The entry binds from when the hub placed it.
    expect(listed('2025-11-20T09:00:00+08:00').since).toEqual(NOW);
  });

  it('an organisation’s listing: the listing, and a consumption restriction for it and every bound person, each its own', () => {
    const placed = entriesPlacedBy(
      'N1',
      notice('dishonest-list', company, { ground: 'evades-enforcement' }),
      NOW,
      ids,
    );
    const listing = placed[0]!;
    expect(listing).toMatchObject({
      measure: 'dishonest-list',
      role: 'debtor',
      subjectHash: subjectHash(company.creditCode),
      publicName: company.name,
      publicId: company.creditCode,
      impliedBy: null,
    });
    expect(listing.endsAt).toEqual(new Date('2028-11-20T02:00:00Z'));
    expect(placed.slice(1).map((e) => [e.measure, e.role, e.impliedBy])).toEqual([
      ['restrict-consumption', 'debtor', listing.id],
      ['restrict-consumption', 'legal-representative', listing.id],
      ['restrict-consumption', 'principal', listing.id],
      ['restrict-consumption', 'actual-controller', listing.id],
    ]);
    for (const e of placed.slice(1)) expect(e.endsAt).toEqual(listing.endsAt);
    // Nothing in clear but the public list's name of the debtor.
    expect(JSON.stringify(placed)).not.toContain(REP.idNumber);
    expect(placed.find((e) => e.role === 'legal-representative')!.subjectMasked).toBe(
      '王* 110105********0011',
    );
  });

  it('an organisation’s consumption restriction binds it and its people, none implied', () => {
    const placed = entriesPlacedBy('N2', notice('restrict-consumption', company), NOW, ids);
    expect(placed.map((e) => [e.role, e.impliedBy, e.publicName])).toEqual([
      ['debtor', null, null],
      ['legal-representative', null, null],
      ['principal', null, null],
      ['actual-controller', null, null],
    ]);
    for (const e of placed) expect(e.debtorHash).toBe(subjectHash(company.creditCode));
  });

  it('an organisation’s exit restriction binds each named person and never the organisation (民事诉讼法 第二百六十六条)', () => {
    const placed = entriesPlacedBy('N3', notice('restrict-exit', company), NOW, ids);
    expect(placed.map((e) => [e.measure, e.role, e.subjectHash, e.debtorKind, e.impliedBy])).toEqual([
      ['restrict-exit', 'legal-representative', subjectHash(REP.idNumber), 'person', null],
      ['restrict-exit', 'principal', subjectHash('110105194912310022'), 'person', null],
    ]);
    expect(placed.map((e) => e.subjectHash)).not.toContain(subjectHash(company.creditCode));
    for (const e of placed) {
      expect(e.debtorHash).toBe(subjectHash(company.creditCode));
      expect(e.endsAt).toBeNull();
    }
    expect(JSON.stringify(placed)).not.toContain(REP.idNumber);
  });

  it('a person’s exit restriction is the person’s own single entry', () => {
    const person = { kind: 'person', name: '李某', idNumber: '11010519491231002X', creditCode: '' };
    const placed = entriesPlacedBy('N5', notice('restrict-exit', person), NOW, ids);
    expect(placed.map((e) => [e.role, e.subjectHash, e.debtorHash])).toEqual([
      ['debtor', subjectHash(person.idNumber), subjectHash(person.idNumber)],
    ]);
  });

  it('a person’s listing on ground (1) has no term; the public ID shows the first 6 and last 4', () => {
    const person = { kind: 'person', name: '李某', idNumber: '11010519491231002X', creditCode: '' };
    const placed = entriesPlacedBy(
      'N4',
      notice('dishonest-list', person, { ground: 'able-but-refuses' }),
      NOW,
      ids,
    );
    expect(placed.map((e) => e.endsAt)).toEqual([null, null]);
    expect(placed[0]!.publicId).toBe('110105********002X');
    expect(publicIdOf('person', person.idNumber)).toBe('110105********002X');
  });
});

describe('admission over any sequence of notices (property)', () => {
  const measures = [
    'dishonest-list',
    'dishonest-list-removal',
    'restrict-consumption',
    'restrict-consumption-lift',
  ] as const;
  it('never leaves two live listings or restrictions of a debtor in a case, and a withdrawal always withdraws a live one of its court', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(...measures), fc.constantFrom('川0104', '川0105')), {
          maxLength: 12,
        }),
        (seq) => {
          const notices = seq.map(([measure, courtCode], i) => ({
            id: `n${i}`,
            notice: {
              subjectHash: 'h',
              caseNo: 'c',
              courtCode,
              measure,
              grounds: ['evades-enforcement'],
              removalReason: 'performed',
            } as PunishmentNotice,
          }));
          const admissions = admitPunishments(notices, [], NOW);
          // Replay what was admitted and check the standing after each step.
          const live = new Map<string, string>();
          admissions.forEach((a, i) => {
            const { measure, courtCode } = notices[i]!.notice;
            const placing = measure === 'dishonest-list' || measure === 'restrict-consumption';
            const kind = measure.startsWith('dishonest') ? 'listing' : 'restriction';
            if (!a.ok) {
              if (placing) expect(live.has(kind)).toBe(true);
              else expect(live.get(kind)).not.toBe(courtCode);
              return;
            }
            if (placing) {
              expect(live.has(kind)).toBe(false);
              live.set(kind, courtCode);
            } else {
              expect((a.withdraws as DebtorEntry).courtCode).toBe(courtCode);
              expect(live.get(kind)).toBe(courtCode);
              live.delete(kind);
            }
          });
        },
      ),
    );
  });
});

describe('groundPathsOf', () => {
  it('names where each ground was first given, in the order groundsOf lists them', () => {
    const n = notice('dishonest-list', company, {
      ground: 'evades-enforcement',
      otherGrounds: ['nope', 'breaches-settlement', 'evades-enforcement', 'breaches-settlement'],
    });
    expect(groundsOf(n)).toEqual(['evades-enforcement', 'breaches-settlement']);
    expect(groundPathsOf(n)).toEqual({
      'evades-enforcement': 'params.ground',
      'breaches-settlement': 'params.otherGrounds.1',
    });
  });
});
