/**
 * Reconciliation reads the case's holds from the real `holds` table (as the answer fold wrote them) and
 * lists what the institutions' query answers disagree with.
 */
import { fileURLToPath } from 'node:url';
import { createPool, migrate, type Pool } from '@hub/store';
import { endpoints, isolate } from '@hub/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hold } from '../src/domain/holds.js';
import { answersOfRequest, caseReconciliation, reconciliationToResponse } from '../src/reconciliation.js';
import { type HoldKey, writeHoldChanges } from '../src/sql/holds.js';

const iso = isolate();
const schema = `${iso.namespace}_fd`;
let pool: Pool;

const CASE = { courtCode: '川0104', caseNo: '(2025)川0104执1号' };
const ACCOUNT = '6222020200112233445';
const QUEUED = '6222020200112233452';
const RELEASED = '6222020200112233460';
const FUND = 'PF5101000001';

const hold = (assetKey: string, patch: Partial<Hold> = {}): Hold => ({
  assetKind: 'account',
  assetKey,
  measure: 'freeze',
  state: 'effective',
  queuePosition: 0,
  requestedFen: 10_000,
  frozenFen: 10_000,
  deductedFen: 0,
  termFrom: '2026-03-01',
  termUntil: '2027-02-28',
  registrationNo: `R-${assetKey}`,
  ...patch,
});
let n = 0;
const change = (institution: string, h: Hold, courtCode = CASE.courtCode) => {
  n += 1;
  const key: HoldKey = {
    courtCode,
    caseNo: CASE.caseNo,
    institution,
    assetKind: 'account',
    assetKey: h.assetKey,
  };
  const id = `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  return {
    key,
    subjectKey: 'subject',
    agency: 'bank',
    hold: { ...h, id },
    from: null,
    requestId: id,
    measure: 'freeze',
    at: new Date(),
  };
};
const bookHold = (patch: object = {}) => ({
  court: CASE.courtCode,
  caseNo: CASE.caseNo,
  amountFen: 10_000,
  from: '2026-03-01',
  until: '2027-02-28',
  queuePosition: 0,
  ...patch,
});
const account = (accountNo: string, holds: object[]) => ({
  accountNo,
  accountType: 'demand',
  currency: 'CNY',
  balanceFen: 50_000,
  frozenFen: 10_000,
  holds,
});

beforeAll(async () => {
  await migrate({
    url: endpoints().databaseUrl,
    schema,
    dirs: [fileURLToPath(new URL('../migrations', import.meta.url))],
  });
  pool = createPool({ url: endpoints().databaseUrl, schema });
  await writeHoldChanges(pool, [
    change('ICBC', hold(ACCOUNT)),
    change('ICBC', hold(QUEUED, { state: 'queued', queuePosition: 2, frozenFen: 0, termUntil: null })),
    change('ICBC', hold(RELEASED, { state: 'released', frozenFen: 0 })),
    change('PF-510100', hold(FUND)),
    // Another court's hold on the same account is not this case's.
    change('ICBC', hold(ACCOUNT, { frozenFen: 1 }), '京0105'),
  ]);
});

afterAll(async () => {
  await pool?.end();
  await iso.cleanup();
});

describe('case reconciliation', () => {
  it('lists where the books disagree with the hub’s holds, and what it could not check', async () => {
    const r = await caseReconciliation(pool, CASE, [
      {
        agency: 'bank',
        institution: 'ICBC',
        result: JSON.stringify({
          accounts: [
            account(ACCOUNT, [bookHold({ amountFen: 9_000 })]),
            // Promoted by the agency (the hub still has it queued); released at the hub, still held here.
            account(QUEUED, [bookHold()]),
            account(RELEASED, [bookHold()]),
          ],
        }),
      },
      { agency: 'provident-fund', institution: 'PF-510100', result: '{"account": 1}' },
    ]);
    expect(r).toMatchObject({ ...CASE, checked: 3, unreadable: ['PF-510100'] });
    expect(r.discrepancies.map((d) => [d.assetKey, d.kind])).toEqual([
      [ACCOUNT, 'amount'],
      [QUEUED, 'state'],
      [RELEASED, 'missing-at-hub'],
    ]);
    expect(r.unchecked).toEqual([
      { institution: 'PF-510100', assetKind: 'account', assetKey: FUND, reason: 'institution-not-queried' },
    ]);
  });

  it('finds nothing to report when the books agree', async () => {
    const r = await caseReconciliation(pool, CASE, [
      {
        agency: 'bank',
        institution: 'ICBC',
        result: {
          accounts: [
            account(ACCOUNT, [bookHold(), { ...bookHold({ amountFen: 1 }), court: '京0105' }]),
            account(QUEUED, [bookHold({ queuePosition: 2 })]),
            account(RELEASED, []),
          ],
        },
      },
      {
        agency: 'provident-fund',
        institution: 'PF-510100',
        result: {
          account: {
            accountNo: FUND,
            balanceFen: 10_000,
            frozenFen: 10_000,
            status: 'active',
            monthlyDepositFen: 0,
            holds: [bookHold()],
          },
        },
      },
    ]);
    expect(r).toMatchObject({ checked: 4, discrepancies: [], unchecked: [], unreadable: [] });
  });

  it('on the wire (ReconcileCase): an agency kind not known is unreadable; absent sides stay absent', async () => {
    const answers = answersOfRequest([
      {
        agency: 'bank',
        institution: 'ICBC',
        resultJson: JSON.stringify({ accounts: [account(ACCOUNT, []), account(RELEASED, [bookHold()])] }),
        reportedAt: new Date(),
      },
      { agency: 'tax-bureau', institution: 'TAX', resultJson: '{}', reportedAt: undefined },
    ]);
    const wire = reconciliationToResponse(await caseReconciliation(pool, CASE, answers));
    expect(wire.unreadable).toEqual(['TAX']);
    expect(wire.discrepancies).toEqual([
      {
        kind: 'missing-at-agency',
        institution: 'ICBC',
        assetKind: 'account',
        assetKey: ACCOUNT,
        hub: { state: 'effective', queuePosition: 0, amountFen: 10_000, termUntil: '2027-02-28' },
        agency: [],
      },
      // No term while queued: an empty string on the wire.
      expect.objectContaining({
        kind: 'missing-at-agency',
        assetKey: QUEUED,
        hub: { state: 'queued', queuePosition: 2, amountFen: 10_000, termUntil: '' },
      }),
      {
        kind: 'missing-at-hub',
        institution: 'ICBC',
        assetKind: 'account',
        assetKey: RELEASED,
        hub: { state: 'released', queuePosition: 0, amountFen: 0, termUntil: '2027-02-28' },
        agency: [{ queuePosition: 0, amountFen: 10_000, until: '2027-02-28' }],
      },
    ]);
  });
});
