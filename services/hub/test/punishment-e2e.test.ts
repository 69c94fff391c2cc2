/**
 * Issue 12 through the whole hub in one process, with the real adapters and the mock agencies answering:
 * a listing and a consumption restriction reach every institution acting on them and complete only when each
 * confirmed; the partners' interception checks answer from the projection, per agency kind; a reported
 * interception reaches the court's timeline and the yearly statistics; removal and lifting reach every
 * institution that received the measure, after which no check answers "restricted" and the public list no
 * longer shows the debtor; bad input is refused with a stable code and nothing stored.
 */
import { randomUUID } from 'node:crypto';
import { checkInterception, personAt, reportInterception } from '@hub/agency-sim';
import { systemClock } from '@hub/domain';
import { createLogger } from '@hub/service-kit';
import { hubEnv, isolate, waitFor } from '@hub/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVICES } from '../src/services.js';
import { type RunningStack, startStack } from '../src/stack.js';

const SEED = 11;
const INSTITUTIONS =
  'bank:ICBC,bank:CCB,real-estate:REC-510100,public-security:PSB-510100,provident-fund:PF-510100';
const ALL = ['CCB', 'ICBC', 'PF-510100', 'PSB-510100', 'REC-510100'];
const iso = isolate();
let stack: RunningStack;
let gateway = '';
let tracker = '';
const court = { authorization: 'Bearer demo-court-key', 'content-type': 'application/json' };
const otherCourt = { authorization: 'Bearer demo-court-2-key', 'content-type': 'application/json' };

beforeAll(async () => {
  const env = hubEnv(iso, {
    SIM_SEED: String(SEED),
    HUB_INSTITUTIONS: INSTITUTIONS,
    GATEWAY_COURT_KEYS: 'demo-court-key=川0104,demo-court-2-key=川0105',
    // The mock agencies' own interception traffic would add reports this test does not expect.
    AGENCY_SIM_INTERCEPTION_CHECKS_PER_S: '0',
  });
  stack = await startStack(Object.keys(SERVICES), env, {
    logger: createLogger({ service: 'punishment-e2e', level: 'warn' }),
    clock: systemClock,
  });
  gateway = stack.urls.get('gateway')!;
  tracker = stack.urls.get('tracker')!;
});

afterAll(async () => {
  await stack?.stop();
  await iso.cleanup();
});

let seq = 0;
/** A notice of the demo court (or of 川0105 under its own case) with the given measure and params. */
function notice(
  caseNo: string,
  debtor: Record<string, unknown>,
  measure: string,
  params: Record<string, unknown> = {},
) {
  const courtCode = caseNo.includes('川0105') ? '川0105' : '川0104';
  return {
    noticeNo: `${caseNo}-惩${Date.now().toString(36)}${seq++}`,
    caseNo,
    court: { code: courtCode, name: '某人民法院' },
    officer: { name: '王法官' },
    debtor,
    measure,
    targets: [],
    params,
    legalBasis: `${caseNo}执行裁定书`,
    issuedAt: new Date().toISOString(),
  };
}

type Submitted = {
  status: number;
  json: { id: string; error: { code: string; details?: { code: string; path: string }[] } };
};
async function submit(body: unknown, headers = court): Promise<Submitted> {
  const res = await fetch(`${gateway}/v1/notices`, { method: 'POST', headers, body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as Submitted['json'] };
}

type NoticeView = {
  status: string;
  requests: { institution: string; status: string }[];
  timeline: { event: string; detail: string | null }[];
};
async function completed(id: string, headers = court): Promise<NoticeView> {
  return waitFor(
    async () => {
      const v = (await (await fetch(`${gateway}/v1/notices/${id}`, { headers })).json()) as NoticeView;
      return v.status === 'completed' ? v : undefined;
    },
    { what: `notice ${id} completed`, timeoutMs: 45_000, intervalMs: 200 },
  );
}

const adapter = (agency: string) => stack.urls.get(`adapter-${agency}`)!;
const secret = (institution: string) => `${institution.toLowerCase()}-demo-secret`;
const checkAt = (agency: string, institution: string, id: string) =>
  checkInterception(adapter(agency), institution, secret(institution), id);

function caseNo(court = '川0104') {
  return `(2026)${court}执${20_000 + Math.floor(Math.random() * 70_000)}号`;
}

describe('punishment through the whole hub', () => {
  it('a listing reaches every institution, is intercepted, reported, then deleted everywhere', async () => {
    const idNumber = personAt(SEED, 3).idNumber;
    const debtor = { kind: 'person', name: '张某', idNumber };
    const c = caseNo();
    const listingBody = notice(c, debtor, 'dishonest-list', { ground: 'evades-enforcement' });
    const listed = await submit(listingBody);
    expect(listed.status).toBe(202);
    const listing = await completed(listed.json.id);
    // Sent again once completed: the same notice, and its answer says where it stands (it said `issued`).
    const resent = await submit(listingBody);
    expect(resent).toMatchObject({
      status: 202,
      json: { id: listed.json.id, duplicate: true, status: 'completed' },
    });
    // Broadcast: every connected institution of every kind, each confirming.
    expect(listing.requests.map((r) => r.institution).sort()).toEqual(ALL);
    expect(listing.requests.every((r) => r.status === 'done')).toBe(true);

    const atBank = await waitFor(
      async () => ((a) => (a.restricted ? a : undefined))(await checkAt('bank', 'ICBC', idNumber)),
      { what: 'the bank to see the listing', timeoutMs: 10_000, intervalMs: 100 },
    );
    expect(atBank.entries.map((e) => e.measure).sort()).toEqual(['dishonest-list', 'restrict-consumption']);
    const entry = atBank.entries.find((e) => e.measure === 'dishonest-list')!;
    expect(entry).toMatchObject({
      courtCode: '川0104',
      caseNo: c,
      ground: 'evades-enforcement',
      role: 'debtor',
    });

    const publicList = async () =>
      (
        (await (
          await fetch(
            `${gateway}/v1/public/dishonest?name=${encodeURIComponent('张某')}&idPrefix=${idNumber.slice(0, 6)}`,
          )
        ).json()) as { listings: { caseNo: string; idMasked: string }[] }
      ).listings.filter((l) => l.caseNo === c);
    const shown = await publicList();
    expect(shown).toHaveLength(1);
    expect(shown[0]!.idMasked).not.toContain(idNumber.slice(6, 14));

    // The bank blocks a loan and reports it: the court sees it on the listing's timeline; the year counts it.
    await reportInterception(adapter('bank'), 'ICBC', secret('ICBC'), {
      reportRef: `LOAN-${randomUUID()}`,
      id: idNumber,
      entryId: entry.entryId,
      action: 'loan',
      occurredAt: new Date().toISOString(),
    });
    await waitFor(
      async () => (await completed(listed.json.id)).timeline.find((t) => t.event === 'InterceptionReported'),
      { what: 'the interception on the timeline', timeoutMs: 15_000, intervalMs: 200 },
    );
    const year = (await (
      await fetch(`${tracker}/v1/ops/reports/yearly?year=${new Date().getFullYear()}`)
    ).json()) as {
      interceptions: { byMeasureAndAgency: { measure: string; agency: string; count: number }[] };
    };
    expect(year.interceptions.byMeasureAndAgency).toContainEqual(
      expect.objectContaining({ measure: 'dishonest-list', agency: 'bank' }),
    );

    // Another court cannot delete it; the listing court can, and the deletion reaches all five.
    const foreign = await submit(
      {
        ...notice(caseNo('川0105'), debtor, 'dishonest-list-removal', { removalReason: 'performed' }),
        caseNo: c,
        jurisdiction: { kind: 'designated', decisionNo: '(2026)川01执他12号决定书' },
      },
      otherCourt,
    );
    expect(foreign).toMatchObject({ status: 403, json: { error: { code: 'LISTING_OF_ANOTHER_COURT' } } });
    const removed = await submit(notice(c, debtor, 'dishonest-list-removal', { removalReason: 'performed' }));
    expect(removed.status).toBe(202);
    const removal = await completed(removed.json.id);
    expect(removal.requests.map((r) => r.institution).sort()).toEqual(ALL);
    expect(removal.requests.every((r) => r.status === 'done')).toBe(true);
    for (const [agency, institution] of [
      ['bank', 'ICBC'],
      ['bank', 'CCB'],
      ['public-security', 'PSB-510100'],
      ['real-estate', 'REC-510100'],
      ['provident-fund', 'PF-510100'],
    ] as const) {
      expect((await checkAt(agency, institution, idNumber)).restricted).toBe(false);
    }
    expect(await publicList()).toEqual([]);
    // Nothing left to remove.
    const again = await submit(notice(c, debtor, 'dishonest-list-removal', { removalReason: 'performed' }));
    expect(again).toMatchObject({ status: 404, json: { error: { code: 'LISTING_NOT_FOUND' } } });
  });

  it("an organisation's consumption restriction binds its legal representative and responsible persons until lifted", async () => {
    const rep = personAt(SEED, 5).idNumber;
    const principal = personAt(SEED, 6).idNumber;
    const org = {
      kind: 'organisation',
      name: '成都某某贸易有限公司',
      creditCode: '91510100MA6CGUGA1W',
      legalRepresentative: { name: '刘某', idNumber: rep },
      responsiblePersons: [{ role: 'principal', name: '陈某', idNumber: principal }],
    };
    const c = caseNo();
    const placed = await submit(notice(c, org, 'restrict-consumption'));
    expect(placed.status).toBe(202);
    expect((await completed(placed.json.id)).requests.every((r) => r.status === 'done')).toBe(true);
    for (const [id, role] of [
      [org.creditCode, 'debtor'],
      [rep, 'legal-representative'],
      [principal, 'principal'],
    ] as const) {
      const seen = await waitFor(
        async () => ((a) => (a.restricted ? a : undefined))(await checkAt('real-estate', 'REC-510100', id)),
        { what: `${role} restricted`, timeoutMs: 10_000, intervalMs: 100 },
      );
      expect(seen.entries).toEqual([
        expect.objectContaining({ measure: 'restrict-consumption', role, caseNo: c }),
      ]);
    }
    const lifted = await submit(notice(c, org, 'restrict-consumption-lift'));
    expect(lifted.status).toBe(202);
    expect((await completed(lifted.json.id)).requests.map((r) => r.status)).toEqual(ALL.map(() => 'done'));
    for (const id of [org.creditCode, rep, principal]) {
      expect((await checkAt('real-estate', 'REC-510100', id)).restricted).toBe(false);
    }
  });

  it('an exit restriction goes to public security alone, and only public security sees it', async () => {
    const idNumber = personAt(SEED, 8).idNumber;
    const debtor = { kind: 'person', name: '王某', idNumber };
    const c = caseNo();
    const placed = await submit(notice(c, debtor, 'restrict-exit'));
    const done = await completed(placed.json.id);
    expect(done.requests.map((r) => [r.institution, r.status])).toEqual([['PSB-510100', 'done']]);
    await waitFor(
      async () => (await checkAt('public-security', 'PSB-510100', idNumber)).restricted || undefined,
      {
        what: 'public security to see the exit restriction',
        timeoutMs: 10_000,
        intervalMs: 100,
      },
    );
    expect((await checkAt('bank', 'ICBC', idNumber)).restricted).toBe(false);
    const lifted = await completed((await submit(notice(c, debtor, 'restrict-exit-lift'))).json.id);
    expect(lifted.requests.map((r) => [r.institution, r.status])).toEqual([['PSB-510100', 'done']]);
    expect((await checkAt('public-security', 'PSB-510100', idNumber)).restricted).toBe(false);
  });

  it("an organisation's exit restriction binds its named persons, never the organisation, until lifted", async () => {
    const rep = personAt(SEED, 14).idNumber;
    const principal = personAt(SEED, 15).idNumber;
    const bare = { kind: 'organisation', name: '成都某某实业有限公司', creditCode: '91510100MA6CGUGA1W' };
    const c = caseNo();
    // 民事诉讼法 第二百六十六条: exit restriction binds persons; an organisation naming none is refused.
    const refused = await submit(notice(c, bare, 'restrict-exit'));
    expect(refused.status).toBe(400);
    expect(refused.json.error.details).toContainEqual(
      expect.objectContaining({ code: 'EXIT_RESTRICTION_NEEDS_PERSON', path: 'debtor' }),
    );
    const org = {
      ...bare,
      legalRepresentative: { name: '刘某', idNumber: rep },
      responsiblePersons: [{ role: 'principal', name: '陈某', idNumber: principal }],
    };
    const placed = await submit(notice(c, org, 'restrict-exit'));
    expect(placed.status).toBe(202);
    const done = await completed(placed.json.id);
    expect(done.requests.map((r) => [r.institution, r.status])).toEqual([['PSB-510100', 'done']]);
    for (const [id, role] of [
      [rep, 'legal-representative'],
      [principal, 'principal'],
    ] as const) {
      const seen = await waitFor(
        async () =>
          ((a) => (a.restricted ? a : undefined))(await checkAt('public-security', 'PSB-510100', id)),
        { what: `${role} restricted from exit`, timeoutMs: 10_000, intervalMs: 100 },
      );
      expect(seen.entries).toEqual([expect.objectContaining({ measure: 'restrict-exit', role, caseNo: c })]);
    }
    const company = await checkAt('public-security', 'PSB-510100', org.creditCode);
    expect((company.entries ?? []).filter((e: { measure: string }) => e.measure === 'restrict-exit')).toEqual(
      [],
    );
    const again = await submit(notice(c, org, 'restrict-exit'));
    expect(again).toMatchObject({ status: 409, json: { error: { code: 'ALREADY_RESTRICTED' } } });
    const lifted = await completed((await submit(notice(c, org, 'restrict-exit-lift'))).json.id);
    expect(lifted.requests.map((r) => [r.institution, r.status])).toEqual([['PSB-510100', 'done']]);
    for (const id of [rep, principal])
      expect((await checkAt('public-security', 'PSB-510100', id)).restricted).toBe(false);
  });

  it('refuses bad punishment notices with stable codes and stores nothing', async () => {
    const debtor = { kind: 'person', name: '赵某', idNumber: personAt(SEED, 9).idNumber };
    const c = caseNo();
    const cases: [Record<string, unknown>, number, string, string][] = [
      [notice(c, debtor, 'dishonest-list', { ground: 'owes-money' }), 400, 'UNKNOWN_GROUND', 'params.ground'],
      [
        notice(c, debtor, 'dishonest-list', { ground: 'evades-enforcement', extensionYears: 1 }),
        400,
        'EXTENSION_NOT_ALLOWED',
        'params.extensionYears',
      ],
      [
        notice(c, debtor, 'dishonest-list', { ground: 'obstructs-enforcement', extensionYears: 4 }),
        400,
        'EXTENSION_EXCEEDS_RULES',
        'params.extensionYears',
      ],
      [notice(c, debtor, 'dishonest-list', {}), 400, 'GROUND_REQUIRED', 'params.ground'],
      [
        notice(c, debtor, 'dishonest-list-removal', { removalReason: 'performed' }),
        404,
        'LISTING_NOT_FOUND',
        '',
      ],
      [notice(c, debtor, 'restrict-exit-lift'), 404, 'RESTRICTION_NOT_FOUND', ''],
    ];
    for (const [body, status, code, path] of cases) {
      const res = await submit(body);
      expect(res.status, code).toBe(status);
      expect(
        res.json.error.code === code ||
          res.json.error.details?.some(
            (d: { code: string; path: string }) => d.code === code && d.path === path,
          ),
      ).toBe(true);
    }
    // Nothing of the refused notices was stored: the case has no restriction at all.
    const view = await fetch(`${gateway}/v1/cases/${encodeURIComponent(c)}/restrictions`, { headers: court });
    expect(view.status).toBe(404);
  });

  it('a removal right behind its listing is refused while the listing is being taken in, never stored to fail', async () => {
    const debtor = { kind: 'person', name: '钱某', idNumber: personAt(SEED, 18).idNumber };
    const c = caseNo();
    // In one batch: the listing is accepted, its removal refused (intake might read it first).
    const res = await fetch(`${gateway}/v1/notices/batch`, {
      method: 'POST',
      headers: court,
      body: JSON.stringify({
        notices: [
          notice(c, debtor, 'dishonest-list', { ground: 'evades-enforcement' }),
          notice(c, debtor, 'dishonest-list-removal', { removalReason: 'performed' }),
        ],
      }),
    });
    const { results } = (await res.json()) as {
      results: { ok: boolean; id?: string; error?: { code: string } }[];
    };
    expect(results.map((r) => r.ok || r.error?.code)).toEqual([true, 'PUNISHMENT_PENDING']);
    // Sent at once after the batch's answer: refused the same way, or, if intake was quicker, admitted; never
    // a 202 that then fails at intake.
    const soon = await submit(notice(c, debtor, 'dishonest-list-removal', { removalReason: 'performed' }));
    if (soon.status === 202) {
      const view = await completed(soon.json.id);
      expect(view.requests.every((r) => r.status === 'done')).toBe(true);
    } else {
      expect(soon).toMatchObject({ status: 409, json: { error: { code: 'PUNISHMENT_PENDING' } } });
      await completed(results[0]!.id!);
      const removed = await submit(
        notice(c, debtor, 'dishonest-list-removal', { removalReason: 'performed' }),
      );
      expect(removed.status).toBe(202);
      const view = await completed(removed.json.id);
      expect(view.requests.every((r) => r.status === 'done')).toBe(true);
    }
    // The same removal again, sent right after: pending behind the first, or nothing left to remove.
    const twice = await submit(notice(c, debtor, 'dishonest-list-removal', { removalReason: 'performed' }));
    expect(twice.status).toBeGreaterThanOrEqual(400);
    expect(['PUNISHMENT_PENDING', 'LISTING_NOT_FOUND']).toContain(twice.json.error.code);
    // Other families of the same debtor are never held up: an exit restriction goes in beside it.
    const exit = await submit(notice(c, debtor, 'restrict-exit'));
    expect(exit.status).toBe(202);
  });

  it('one notice number twice in a batch sinks nothing: the repeat is a duplicate, another debtor under it a conflict', async () => {
    const c = caseNo();
    const person = (i: number) => ({
      kind: 'person',
      name: '孙某',
      idNumber: personAt(SEED, 40 + i).idNumber,
    });
    const first = notice(c, person(0), 'restrict-consumption');
    const clash = { ...notice(c, person(1), 'restrict-consumption'), noticeNo: first.noticeNo };
    const good = notice(caseNo(), person(2), 'restrict-consumption');
    const res = await fetch(`${gateway}/v1/notices/batch`, {
      method: 'POST',
      headers: court,
      body: JSON.stringify({ notices: [first, clash, good, first] }),
    });
    expect(res.status).toBe(200);
    const { results } = (await res.json()) as {
      results: { ok: boolean; id?: string; duplicate?: boolean; error?: { code: string } }[];
    };
    // Before: the punishment check recorded two admissions under one key, failed, and every punishment notice
    // of the batch came back UNAVAILABLE.
    expect(results.map((r) => r.ok || r.error?.code)).toEqual([true, 'NOTICE_CONFLICT', true, true]);
    expect(results[3]).toMatchObject({ id: results[0]!.id, duplicate: true });
    const view = await completed(results[2]!.id!);
    expect(view.requests.every((r) => r.status === 'done')).toBe(true);
    // Only the first debtor is restricted under that number; the clashing one was never stored.
    await completed(results[0]!.id!);
    expect(await checkAt('bank', 'ICBC', person(0).idNumber)).toMatchObject({ restricted: true });
    expect(await checkAt('bank', 'ICBC', person(1).idNumber)).toMatchObject({ restricted: false });
  });

  it('bars relisting on the same ground within 6 months of a deletion at the applicant’s request', async () => {
    const debtor = { kind: 'person', name: '孙某', idNumber: personAt(SEED, 12).idNumber };
    const c = caseNo();
    const listed = await submit(notice(c, debtor, 'dishonest-list', { ground: 'breaches-settlement' }));
    await completed(listed.json.id);
    const removed = await submit(
      notice(c, debtor, 'dishonest-list-removal', { removalReason: 'applicant-request' }),
    );
    await completed(removed.json.id);
    const relisted = await submit(notice(c, debtor, 'dishonest-list', { ground: 'breaches-settlement' }));
    expect(relisted).toMatchObject({ status: 409, json: { error: { code: 'RELISTING_BARRED' } } });
    expect(JSON.stringify(relisted.json.error.details)).toContain('法释〔2017〕7号');
    // A ground the debtor commits afresh may be listed (art. 10 第三款).
    const fresh = await submit(notice(c, debtor, 'dishonest-list', { ground: 'breaches-property-report' }));
    expect(fresh.status).toBe(202);
  });

  it('one case however its number is spelled: no second listing, and the deletion deletes it', async () => {
    const idNumber = personAt(SEED, 14).idNumber;
    const debtor = { kind: 'person', name: '周某', idNumber };
    const c = caseNo();
    // Full-width brackets, a zero-padded sequence, spaces around it: the same 案号 as a clerk may type it.
    const wide = c.replace('(', '（').replace(')', '）');
    const padded = c.replace(/执(\d+)号$/, '执0$1号');
    const listed = await submit(notice(c, debtor, 'dishonest-list', { ground: 'evades-enforcement' }));
    expect(listed.status).toBe(202);
    await completed(listed.json.id);
    for (const spelled of [wide, padded, ` ${c} `]) {
      const again = await submit(notice(spelled, debtor, 'dishonest-list', { ground: 'evades-enforcement' }));
      expect(again, spelled).toMatchObject({ status: 409, json: { error: { code: 'ALREADY_LISTED' } } });
    }
    // Read back under any spelling, stored under one.
    const restrictions = (await (
      await fetch(`${gateway}/v1/cases/${encodeURIComponent(padded)}/restrictions`, { headers: court })
    ).json()) as { caseNo: string; restrictions: { measure: string }[] };
    expect(restrictions.caseNo).toBe(c);
    expect(restrictions.restrictions.map((r) => r.measure).sort()).toEqual([
      'dishonest-list',
      'restrict-consumption',
    ]);
    const listedUnder = (await (
      await fetch(`${gateway}/v1/notices?caseNo=${encodeURIComponent(wide)}`, { headers: court })
    ).json()) as { notices: { id: string; caseNo: string }[] };
    expect(listedUnder.notices).toEqual([expect.objectContaining({ id: listed.json.id, caseNo: c })]);
    // Deleted under another spelling: no longer restricted anywhere.
    const removed = await submit(
      notice(wide, debtor, 'dishonest-list-removal', { removalReason: 'performed' }),
    );
    expect(removed.status).toBe(202);
    await completed(removed.json.id);
    await waitFor(async () => !(await checkAt('bank', 'ICBC', idNumber)).restricted, {
      what: 'the debtor no longer restricted',
      timeoutMs: 10_000,
      intervalMs: 100,
    });
  });
});
