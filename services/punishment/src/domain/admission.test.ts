import { PUNISHMENT_MEASURES } from '@hub/domain';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  admitBeside,
  admitPunishment,
  admitPunishments,
  type DebtorEntry,
  deletionRunsFrom,
  familyOf,
  type PendingAdmission,
  type PunishmentNotice,
} from './admission.js';
import { fitsVisibleId, visibleIdPattern } from './public-list.js';

const NOW = new Date('2026-11-20T10:00:00+08:00');
const base: PunishmentNotice = {
  subjectHash: 'h1',
  caseNo: '(2026)川0104执1号',
  courtCode: '川0104',
  measure: 'dishonest-list',
  grounds: ['evades-enforcement'],
};
const entry = (over: Partial<DebtorEntry>): DebtorEntry => ({
  id: 'e1',
  noticeId: 'n1',
  subjectHash: 'h1',
  caseNo: base.caseNo,
  courtCode: '川0104',
  measure: 'dishonest-list',
  state: 'live',
  grounds: ['evades-enforcement'],
  impliedBy: null,
  removalReason: null,
  removalStartedAt: null,
  endsAt: null,
  since: new Date('2026-06-01T10:00:00+08:00'),
  ...over,
});

describe('admitPunishment', () => {
  it('refuses a second listing of the debtor in the case, and a second restriction', () => {
    expect(admitPunishment(base, [entry({})], NOW)).toMatchObject({ ok: false, code: 'ALREADY_LISTED' });
    expect(
      admitPunishment(
        { ...base, measure: 'restrict-exit', grounds: [] },
        [entry({ measure: 'restrict-exit' })],
        NOW,
      ),
    ).toMatchObject({ ok: false, code: 'ALREADY_RESTRICTED' });
  });

  it('refuses a withdrawal decided before the listing or restriction it withdraws (WITHDRAWAL_BEFORE_DECISION)', () => {
    const decidedAt = new Date('2026-11-01T10:00:00+08:00');
    const live = entry({ decidedAt });
    const removal = { ...base, measure: 'dishonest-list-removal' as const, grounds: [] };
    expect(
      admitPunishment({ ...removal, issuedAt: new Date('2005-01-02T10:00:00+08:00') }, [live], NOW),
    ).toEqual({
      ok: false,
      code: 'WITHDRAWAL_BEFORE_DECISION',
      details: [{ code: 'WITHDRAWAL_BEFORE_DECISION', path: 'issuedAt', decidedAt: decidedAt.toISOString() }],
    });
    expect(admitPunishment({ ...removal, issuedAt: decidedAt }, [live], NOW)).toEqual({
      ok: true,
      withdraws: live,
    });
    // A lifting too; and an entry placed before decisions were kept is not judged on it.
    const lift = {
      ...removal,
      measure: 'restrict-consumption-lift' as const,
      issuedAt: new Date('2026-10-01'),
    };
    expect(admitPunishment(lift, [entry({ measure: 'restrict-consumption', decidedAt })], NOW)).toMatchObject(
      {
        code: 'WITHDRAWAL_BEFORE_DECISION',
      },
    );
    const old = entry({ decidedAt: null });
    expect(admitPunishment({ ...removal, issuedAt: new Date('2005-01-02') }, [old], NOW)).toEqual({
      ok: true,
      withdraws: old,
    });
  });

  it('a removal withdraws the listing in force, not an older one that ran out and was never deleted', () => {
    const removal = { ...base, measure: 'dishonest-list-removal' as const, grounds: [] };
    const old = entry({
      id: 'old',
      state: 'expired',
      since: new Date('2024-01-01T10:00:00+08:00'),
      endsAt: new Date('2026-01-01T10:00:00+08:00'),
    });
    const current = entry({ id: 'current', since: new Date('2026-06-01T10:00:00+08:00') });
    const unconfirmed = entry({ id: 'unconfirmed', state: 'removing', removalSettled: true });
    for (const entries of [
      [old, current],
      [current, old],
      [old, unconfirmed, current],
    ]) {
      expect(admitPunishment({ ...removal, removalReason: 'performed' }, entries, NOW)).toMatchObject({
        ok: true,
        withdraws: { id: 'current' },
      });
      // Deleted as expired: the one whose term ended.
      expect(admitPunishment({ ...removal, removalReason: 'expired' }, entries, NOW)).toMatchObject({
        ok: true,
        withdraws: { id: 'old' },
      });
    }
    // With nothing in force, an unconfirmed withdrawal is sent again before the old listing is taken.
    expect(
      admitPunishment({ ...removal, removalReason: 'performed' }, [old, unconfirmed], NOW),
    ).toMatchObject({ ok: true, withdraws: { id: 'unconfirmed' } });
  });

  it('a listing’s implied consumption restriction does not make a restriction notice a duplicate', () => {
    const implied = entry({ id: 'e2', measure: 'restrict-consumption', impliedBy: 'e1' });
    expect(
      admitPunishment({ ...base, measure: 'restrict-consumption', grounds: [] }, [implied], NOW),
    ).toEqual({
      ok: true,
    });
  });

  it('a removal withdraws the live listing of its own court, names another court’s, or finds none', () => {
    const removal = { ...base, measure: 'dishonest-list-removal' as const, grounds: [] };
    const live = entry({});
    expect(admitPunishment(removal, [live], NOW)).toEqual({ ok: true, withdraws: live });
    expect(admitPunishment(removal, [entry({ courtCode: '川0105' })], NOW)).toMatchObject({
      ok: false,
      code: 'LISTING_OF_ANOTHER_COURT',
    });
    expect(admitPunishment(removal, [entry({ state: 'removed' })], NOW)).toMatchObject({
      ok: false,
      code: 'LISTING_NOT_FOUND',
    });
    expect(
      admitPunishment(
        { ...removal, measure: 'restrict-exit-lift' },
        [entry({ measure: 'restrict-consumption' })],
        NOW,
      ),
    ).toMatchObject({ ok: false, code: 'RESTRICTION_NOT_FOUND' });
  });

  it('a withdrawal some institution did not confirm may be sent again once it completed, not while it is out', () => {
    const removal = {
      ...base,
      measure: 'dishonest-list-removal' as const,
      grounds: [],
      removalReason: 'performed' as const,
    };
    const started = new Date('2026-11-10T10:00:00+08:00');
    const removing = entry({ state: 'removing', removalReason: 'performed', removalStartedAt: started });
    expect(admitPunishment(removal, [removing], NOW)).toMatchObject({ ok: false, code: 'LISTING_NOT_FOUND' });
    const settled = { ...removing, removalSettled: true };
    expect(admitPunishment(removal, [settled], NOW)).toEqual({ ok: true, withdraws: settled });
    // Twice in one batch: the second is not sent beside the first; the deletion still started when it first did.
    const [first, second] = admitPunishments(
      [
        { id: 'a', notice: removal },
        { id: 'b', notice: removal },
      ],
      [settled],
      NOW,
    );
    expect(first).toMatchObject({ ok: true });
    expect(second).toMatchObject({ ok: false, code: 'LISTING_NOT_FOUND' });
    // Another court still cannot withdraw it.
    expect(admitPunishment({ ...removal, courtCode: '川0105' }, [settled], NOW)).toMatchObject({
      ok: false,
      code: 'LISTING_OF_ANOTHER_COURT',
    });
  });

  it('bars relisting on the same ground for 6 months after a deletion at the applicant’s request', () => {
    const removed = entry({
      state: 'removed',
      removalReason: 'applicant-request',
      removalStartedAt: new Date('2026-08-01T10:00:00+08:00'),
    });
    const barred = admitPunishment(base, [removed], NOW);
    expect(barred).toMatchObject({
      ok: false,
      code: 'RELISTING_BARRED',
      details: [
        { rule: 'RELISTING_BAR_2017_ART10', path: 'params.ground', until: '2027-02-01T02:00:00.000Z' },
      ],
    });
    // The barred ground given among otherGrounds: the refusal names where.
    const among = admitPunishment(
      {
        ...base,
        grounds: ['breaches-settlement', 'evades-enforcement'],
        groundPaths: {
          'breaches-settlement': 'params.ground',
          'evades-enforcement': 'params.otherGrounds.0',
        },
      },
      [removed],
      NOW,
    );
    expect(among).toMatchObject({
      details: [{ path: 'params.otherGrounds.0', ground: 'evades-enforcement' }],
    });
    expect(admitPunishment({ ...base, grounds: ['breaches-settlement'] }, [removed], NOW)).toEqual({
      ok: true,
    });
    expect(admitPunishment(base, [removed], new Date('2027-02-01T10:00:01+08:00'))).toEqual({ ok: true });
    expect(admitPunishment(base, [{ ...removed, removalReason: 'performed' }], NOW)).toEqual({ ok: true });
    expect(admitPunishment({ ...base, caseNo: '(2026)川0104执2号' }, [removed], NOW)).toEqual({ ok: true });
  });

  it('does not bar conduct after the deletion (art. 10 第三款), and names that exception when it refuses', () => {
    const deletedAt = new Date('2026-08-01T10:00:00+08:00');
    const removed = entry({
      state: 'removed',
      removalReason: 'applicant-request',
      removalStartedAt: deletedAt,
    });
    const after = new Date(deletedAt.getTime() + 1);
    expect(admitPunishment({ ...base, groundAroseAt: after }, [removed], NOW)).toEqual({ ok: true });
    // Conduct the deleted listing covered (at or before the deletion) stays barred.
    for (const groundAroseAt of [deletedAt, new Date('2026-05-01T10:00:00+08:00')])
      expect(admitPunishment({ ...base, groundAroseAt }, [removed], NOW)).toMatchObject({
        ok: false,
        code: 'RELISTING_BARRED',
        details: [
          {
            deletedAt: deletedAt.toISOString(),
            exception: { rule: 'RELISTING_ON_NEW_CONDUCT_2017_ART10', path: 'params.groundAroseAt' },
          },
        ],
      });
  });

  it('judges a batch in order: a listing then a duplicate; a removal then a second removal', () => {
    const removal = { ...base, measure: 'dishonest-list-removal' as const, grounds: [] };
    const results = admitPunishments(
      [
        { id: 'a', notice: base },
        { id: 'b', notice: base },
        { id: 'c', notice: removal },
        { id: 'd', notice: removal },
      ],
      [],
      NOW,
    );
    expect(results.map((r) => (r.ok ? 'ok' : r.code))).toEqual([
      'ok',
      'ALREADY_LISTED',
      'ok',
      'LISTING_NOT_FOUND',
    ]);
  });
});

describe('visibleIdPattern', () => {
  it('matches exactly what fitsVisibleId fits (the SQL reads only what the list shows)', () => {
    const shown = fc.oneof(
      fc.stringMatching(/^[0-9]{6}\*{8}[0-9]{3}[0-9X]$/),
      fc.stringMatching(/^[0-9A-HJ-NP-RTUW-Y]{18}$/),
    );
    fc.assert(
      fc.property(shown, fc.stringMatching(/^[0-9A-Za-z]{0,8}$/), (id, prefix) => {
        expect(new RegExp(visibleIdPattern(prefix)).test(id)).toBe(fitsVisibleId(id, prefix));
      }),
    );
    // Prefixes that are the start of the shown ID.
    fc.assert(
      fc.property(shown, fc.integer({ min: 0, max: 8 }), (id, n) => {
        const prefix = id.slice(0, n).replaceAll('*', '0');
        expect(new RegExp(visibleIdPattern(prefix)).test(id)).toBe(true);
      }),
    );
    expect(new RegExp(visibleIdPattern("1'; --")).test('110105********002X')).toBe(false);
  });
});

describe('fitsVisibleId', () => {
  it('matches what the public list shows, and nothing it hides', () => {
    expect(fitsVisibleId('110105********002X', '110105')).toBe(true);
    expect(fitsVisibleId('110105********002X', '1101051949')).toBe(true);
    expect(fitsVisibleId('110105********002X', '110106')).toBe(false);
    expect(fitsVisibleId('91510100MA61234567', '91510100')).toBe(true);
    expect(fitsVisibleId('91510100MA61234567', '91510101')).toBe(false);
    expect(fitsVisibleId('110105********002X', '')).toBe(true);
  });

  it('withdraws a listing whose term ended (the court still deletes it everywhere), never an expired restriction', () => {
    const removal = {
      ...base,
      measure: 'dishonest-list-removal' as const,
      removalReason: 'expired' as const,
    };
    const expired = entry({ state: 'expired', endsAt: new Date('2026-06-01T00:00:00+08:00') });
    expect(admitPunishment(removal, [expired], NOW)).toMatchObject({
      ok: true,
      withdraws: { id: expired.id },
    });
    expect(admitPunishment(removal, [entry({ state: 'removed' })], NOW)).toMatchObject({
      ok: false,
      code: 'LISTING_NOT_FOUND',
    });
  });
});

describe('admitBeside: notices admitted and not yet taken in', () => {
  const removal: PunishmentNotice = {
    ...base,
    measure: 'dishonest-list-removal',
    grounds: [],
    removalReason: 'performed',
  };
  const exit: PunishmentNotice = { ...base, measure: 'restrict-exit', grounds: [] };
  const item = (notice: PunishmentNotice, noticeNo: string) => ({ id: noticeNo, notice, noticeNo });
  const pendingOf = (notice: PunishmentNotice, noticeNo: string): PendingAdmission => ({
    courtCode: notice.courtCode,
    noticeNo,
    subjectHash: notice.subjectHash,
    caseNo: notice.caseNo,
    family: familyOf(notice.measure),
    admittedAt: new Date('2026-11-20T09:59:59+08:00'),
  });

  it('a removal in the batch of its listing is pending behind it; another family of the debtor is not', () => {
    const out = admitBeside([item(base, 'A'), item(removal, 'B'), item(exit, 'C')], [], [], NOW);
    expect(out.map((a) => (a.ok ? 'ok' : a.code))).toEqual(['ok', 'PUNISHMENT_PENDING', 'ok']);
  });

  it('a removal asked right after its listing was admitted is pending, until intake has the listing', () => {
    const [a] = admitBeside([item(removal, 'B')], [], [pendingOf(base, 'A')], NOW);
    expect(a).toMatchObject({
      ok: false,
      code: 'PUNISHMENT_PENDING',
      details: [{ path: 'caseNo', pendingSince: '2026-11-20T01:59:59.000Z' }],
    });
    // Taken in: stored, no longer pending.
    expect(admitBeside([item(removal, 'B')], [entry({})], [], NOW)[0]).toMatchObject({ ok: true });
  });

  it('a notice re-sent under its own number is never pending behind itself', () => {
    expect(admitBeside([item(base, 'A')], [], [pendingOf(base, 'A')], NOW)[0]).toEqual({ ok: true });
  });

  it('one notice number twice in a batch is one notice: judged once, the repeat answered alike', () => {
    const restriction: PunishmentNotice = { ...base, measure: 'restrict-consumption', grounds: [] };
    // The same notice twice: both admitted (the gateway stores it once, the repeat a duplicate), not the
    // repeat ALREADY_RESTRICTED behind itself.
    const same = admitBeside([item(restriction, 'A'), item(restriction, 'A')], [], [], NOW);
    expect(same).toEqual([{ ok: true }, { ok: true }]);
    // Another debtor under the same number: answered as the first (the gateway refuses it as NOTICE_CONFLICT),
    // and the notices around it are judged as ever.
    const other = { ...restriction, subjectHash: 'h2' };
    const mixed = admitBeside(
      [item(restriction, 'A'), item(other, 'A'), item(exit, 'C'), item(restriction, 'D')],
      [],
      [],
      NOW,
    );
    expect(mixed.map((a) => (a.ok ? 'ok' : a.code))).toEqual(['ok', 'ok', 'ok', 'ALREADY_RESTRICTED']);
    // A refused first notice: its repeat is refused alike.
    const listed = entry({ measure: 'restrict-consumption', grounds: [] });
    const refused = admitBeside([item(restriction, 'A'), item(other, 'A')], [listed], [], NOW);
    expect(refused.map((a) => (a.ok ? 'ok' : a.code))).toEqual(['ALREADY_RESTRICTED', 'ALREADY_RESTRICTED']);
  });

  it('another case, another debtor or another family is never pending', () => {
    const others = [{ ...base, caseNo: '(2026)川0104执2号' }, { ...base, subjectHash: 'h2' }, exit];
    for (const o of others)
      expect(admitBeside([item(o, 'X')], [], [pendingOf(base, 'A')], NOW)[0]).toMatchObject({ ok: true });
  });

  it('of any batch, at most one notice per debtor, case and family is admitted, and only where none is pending', () => {
    const measures = PUNISHMENT_MEASURES;
    const arb = fc.record({
      batch: fc.array(
        fc.record({
          measure: fc.constantFrom(...measures),
          subject: fc.constantFrom('h1', 'h2'),
          caseNo: fc.constantFrom('c1', 'c2'),
        }),
        { maxLength: 12 },
      ),
      pending: fc.array(
        fc.record({ measure: fc.constantFrom(...measures), subject: fc.constantFrom('h1', 'h2') }),
        { maxLength: 3 },
      ),
    });
    fc.assert(
      fc.property(arb, ({ batch, pending }) => {
        const notice = (b: { measure: (typeof measures)[number]; subject: string; caseNo?: string }) => ({
          ...base,
          measure: b.measure,
          subjectHash: b.subject,
          caseNo: b.caseNo ?? 'c1',
          grounds: b.measure === 'dishonest-list' ? base.grounds : [],
          removalReason: b.measure === 'dishonest-list-removal' ? ('performed' as const) : undefined,
        });
        const before = pending.map((p, i) => pendingOf(notice(p), `P${i}`));
        const items = batch.map((b, i) => item(notice(b), `N${i}`));
        const out = admitBeside(items, [], before, NOW);
        const key = (n: PunishmentNotice) => `${n.subjectHash}/${n.caseNo}/${familyOf(n.measure)}`;
        const admitted = items.filter((_, i) => out[i]!.ok).map((it) => key(it.notice));
        expect(new Set(admitted).size).toBe(admitted.length);
        const busy = new Set(before.map((p) => `${p.subjectHash}/${p.caseNo}/${p.family}`));
        for (const k of admitted) expect(busy.has(k)).toBe(false);
      }),
    );
  });
});

describe('deletion as expired (法释〔2017〕7号 第十条第二款)', () => {
  const expiredRemoval: PunishmentNotice = {
    ...base,
    measure: 'dishonest-list-removal',
    grounds: [],
    removalReason: 'expired',
  };
  it('is refused while the term runs, and for a listing without a term', () => {
    const running = entry({ endsAt: new Date('2028-11-20T10:00:00+08:00') });
    expect(admitPunishment(expiredRemoval, [running], NOW)).toMatchObject({
      ok: false,
      code: 'LISTING_NOT_EXPIRED',
      details: [{ path: 'params.removalReason', endsAt: '2028-11-20T02:00:00.000Z' }],
    });
    expect(admitPunishment(expiredRemoval, [entry({ endsAt: null })], NOW)).toMatchObject({
      ok: false,
      code: 'LISTING_NOT_EXPIRED',
      details: [{ endsAt: null }],
    });
  });
  it('is admitted once the term has ended, marked expired or not yet', () => {
    const ended = entry({ endsAt: new Date('2026-11-20T09:00:00+08:00') });
    expect(admitPunishment(expiredRemoval, [ended], NOW)).toEqual({ ok: true, withdraws: ended });
    const marked = entry({ state: 'expired', endsAt: new Date('2026-11-19T10:00:00+08:00') });
    expect(admitPunishment(expiredRemoval, [marked], NOW)).toEqual({ ok: true, withdraws: marked });
    // Any other reason withdraws a running listing as before.
    const running = entry({ endsAt: new Date('2028-11-20T10:00:00+08:00') });
    expect(admitPunishment({ ...expiredRemoval, removalReason: 'performed' }, [running], NOW)).toEqual({
      ok: true,
      withdraws: running,
    });
  });
});

describe('deletionRunsFrom (法释〔2017〕7号 art. 10)', () => {
  const listing = { since: new Date('2026-06-01T10:00:00+08:00') };
  it('runs from the ground when it arose while the listing stood', () => {
    const arose = new Date('2026-07-01T09:00:00+08:00');
    expect(deletionRunsFrom(arose, listing)).toEqual(arose);
  });
  it('never from before the listing took effect', () => {
    expect(deletionRunsFrom(new Date('2025-01-01T00:00:00+08:00'), listing)).toEqual(listing.since);
    expect(deletionRunsFrom(new Date('2006-03-01T00:00:00+08:00'), listing)).toEqual(listing.since);
  });
});
