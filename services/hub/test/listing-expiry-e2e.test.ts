/**
 * Issue 12's deletion on expiry through the whole hub in one process, the mock agencies answering: a listing whose
 * term ends is deleted everywhere it was sent without the court having to ask (失信期限届满: 法释〔2017〕7号 art. 10,
 * within 3 working days of the end). The punishment service's durable timer marks it expired and asks; the gateway
 * issues the court's dishonest-list-removal (reason `expired`) from the listing notice; every institution that
 * received the listing confirms; the deletion is due 3 working days from the term's end. The hub clock jumps two
 * years; signatures and everything else keep to real time.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkInterception, personAt } from '@hub/agency-sim';
import { type Clock, dishonestDeletionDeadline } from '@hub/domain';
import { createLogger, loadCalendar } from '@hub/service-kit';
import { hubEnv, isolate, waitFor } from '@hub/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVICES } from '../src/services.js';
import { type RunningStack, startStack } from '../src/stack.js';

function jumpingClock(origin: Date): Clock & { jumpTo(at: Date): void } {
  let hub = origin.getTime();
  let real = Date.now();
  return {
    now: () => new Date(hub + (Date.now() - real)),
    jumpTo(at) {
      hub = at.getTime();
      real = Date.now();
    },
  };
}

const SEED = 12;
const INSTITUTIONS = 'bank:ICBC,real-estate:REC-510100,public-security:PSB-510100,provident-fund:PF-510100';
const ALL = ['ICBC', 'PF-510100', 'PSB-510100', 'REC-510100'];
const clock = jumpingClock(new Date());
// The listing ends two years on, a year the shipped calendar has no table for: ops load it, as here.
const CALENDAR_FILE = join(mkdtempSync(join(tmpdir(), 'expiry-e2e-calendar-')), 'calendar.json');
const YEARS = [2027, 2028, 2029].filter((y) => y > new Date().getFullYear());
writeFileSync(
  CALENDAR_FILE,
  JSON.stringify(
    YEARS.map((year) => ({
      year,
      provisional: true,
      source: 'test: a provisional table loaded by ops (HUB_CALENDAR_FILE)',
      holidays: [{ first: `${year}-01-01`, last: `${year}-01-01`, name: '元旦' }],
      makeUpWorkdays: [],
    })),
  ),
);
const iso = isolate();
let stack: RunningStack;
let gateway = '';
const court = { authorization: 'Bearer demo-court-key', 'content-type': 'application/json' };

beforeAll(async () => {
  const env = hubEnv(iso, {
    SIM_SEED: String(SEED),
    HUB_INSTITUTIONS: INSTITUTIONS,
    GATEWAY_COURT_KEYS: 'demo-court-key=川0104',
    HUB_CALENDAR_FILE: CALENDAR_FILE,
    PUNISHMENT_TIMER_SWEEP_MS: '200',
    AGENCY_SIM_INTERCEPTION_CHECKS_PER_S: '0',
  });
  stack = await startStack(Object.keys(SERVICES), env, {
    logger: createLogger({ service: 'expiry-e2e', level: 'error' }),
    clock,
  });
  gateway = stack.urls.get('gateway')!;
});

afterAll(async () => {
  await stack?.stop();
  await iso.cleanup();
});

type Listed = { id: string; measure: string; status: string; noticeNo: string };
type Restriction = {
  measure: string;
  role: string;
  state: string;
  endsAt: string | null;
  removal: { reason: string | null; dueAt: string | null; noticeId: string | null };
};

const get = async <T>(path: string): Promise<T> =>
  (await (await fetch(`${gateway}${path}`, { headers: court })).json()) as T;

describe('a listing whose term ends', () => {
  it('is deleted everywhere it was sent, as the court’s notice, due 3 working days from the end', async () => {
    const idNumber = personAt(SEED, 5).idNumber;
    const caseNo = `(2026)川0104执${30_000 + Math.floor(Math.random() * 60_000)}号`;
    const res = await fetch(`${gateway}/v1/notices`, {
      method: 'POST',
      headers: court,
      body: JSON.stringify({
        noticeNo: `${caseNo}-失信01`,
        caseNo,
        court: { code: '川0104', name: '成都市锦江区人民法院' },
        officer: { name: '王法官' },
        debtor: { kind: 'person', name: '赵某', idNumber },
        measure: 'dishonest-list',
        targets: [],
        params: { ground: 'evades-enforcement' },
        legalBasis: `${caseNo}执行裁定书`,
        issuedAt: clock.now().toISOString(),
      }),
    });
    expect(res.status).toBe(202);
    const listingId = ((await res.json()) as { id: string }).id;
    const list = () => get<{ notices: Listed[] }>(`/v1/notices?caseNo=${encodeURIComponent(caseNo)}`);
    await waitFor(
      async () => (await list()).notices.find((n) => n.id === listingId && n.status === 'completed'),
      {
        what: 'the listing confirmed by every institution',
        timeoutMs: 45_000,
        intervalMs: 200,
      },
    );
    const restrictions = async () =>
      (await get<{ restrictions: Restriction[] }>(`/v1/cases/${encodeURIComponent(caseNo)}/restrictions`))
        .restrictions;
    const listing = (await restrictions()).find((e) => e.measure === 'dishonest-list')!;
    expect(listing.endsAt).not.toBeNull();
    const endsAt = new Date(listing.endsAt!);

    // Two years on, a second past the end: nobody asks, and the deletion goes out and completes.
    clock.jumpTo(new Date(endsAt.getTime() + 1000));
    const deletion = await waitFor(
      async () =>
        (await list()).notices.find(
          (n) => n.measure === 'dishonest-list-removal' && n.status === 'completed',
        ),
      { what: 'the deletion issued and confirmed everywhere', timeoutMs: 60_000, intervalMs: 250 },
    );
    const view = await get<{ requests: { institution: string; status: string }[] }>(
      `/v1/notices/${deletion.id}`,
    );
    expect(view.requests.map((r) => r.institution).sort()).toEqual(ALL);
    expect(view.requests.every((r) => r.status === 'done')).toBe(true);
    const after = await waitFor(
      async () => ((es) => es.every((e) => e.state === 'removed') && es)(await restrictions()),
      { what: 'the entries removed', timeoutMs: 15_000, intervalMs: 250 },
    );
    const removed = after.find((e) => e.measure === 'dishonest-list')!;
    expect(removed.removal).toMatchObject({ reason: 'expired', noticeId: deletion.id });
    expect(new Date(removed.removal.dueAt!)).toEqual(
      dishonestDeletionDeadline(endsAt, loadCalendar(CALENDAR_FILE)),
    );
    const check = await checkInterception(
      stack.urls.get('adapter-bank')!,
      'ICBC',
      'icbc-demo-secret',
      idNumber,
    );
    expect(check.restricted).toBe(false);
    // One deletion, not one per timer or redelivery; the court's own removal now finds nothing to delete.
    expect((await list()).notices.filter((n) => n.measure === 'dishonest-list-removal')).toHaveLength(1);
  });
});
