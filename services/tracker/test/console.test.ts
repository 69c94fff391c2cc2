import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { encodeEnvelope, type TopicKey, topicName } from '@hub/contracts';
import { holdLapsesAt, manualClock, shanghaiDate } from '@hub/domain';
import { createKafka, eventFactory, type Kafka, type OutboxMessage } from '@hub/messaging';
import { createHttpServer, createLogger, createMetricsRegistry } from '@hub/service-kit';
import { endpoints, hubEnv, isolate, portOf, REPO_ROOT, waitFor, waitForGroupCaughtUp } from '@hub/testkit';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, loadConfig } from '../src/app.js';
import { registerOpsRoutes } from '../src/ops/routes.js';

const HOUR = 3_600_000;
const iso = isolate();
const logger = createLogger({ service: 'tracker-console-test', level: 'warn' });
// Hub time moves only when the test says so: the breach happens exactly when the test wants it to.
const clock = manualClock(new Date());
const T0 = clock.now().getTime();
const app = buildApp(loadConfig(hubEnv(iso)), { logger, clock });
const SENT_TO: TopicKey[] = ['notices', 'requestsBank', 'requestsRealEstate', 'progress', 'answers'];
const ID_NUMBER = '11010519491231002X';
const CASE_NO = '(2026)川0104执1234号';
const NOTICE_NO = '(2026)川0104执1234号-协01';
const GARBAGE = Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x68, 0x75, 0x62]); // no protobuf, then "hub"

let kafka: Kafka;
let producer: ReturnType<Kafka['producer']>;
let admin: ReturnType<Kafka['admin']>;
let browser: Browser;
let base: string;

beforeAll(async () => {
  kafka = createKafka({
    brokers: endpoints().kafkaBrokers,
    clientId: 'tracker-console-test',
    logger: createLogger({ service: 'tracker-console-test', level: 'error' }),
  });
  await app.start();
  // The console is served by the tracker itself (src/app.ts wires the ops routes).
  base = `http://127.0.0.1:${portOf(app.http)}`;
  // Idempotent: a produce retried while the fresh topics elect leaders must not write a message twice.
  producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  admin = kafka.admin();
  await Promise.all([producer.connect(), admin.connect()]);
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
});

afterAll(async () => {
  await browser?.close();
  await producer?.disconnect();
  await admin?.disconnect();
  await app.stop();
  await iso.cleanup();
});

/** Events as other services would publish them, stamped with the hub time they happened at. */
const at = (ms: number) =>
  eventFactory({ producer: 'test', topicPrefix: iso.topicPrefix, now: () => new Date(T0 + ms) });

/** Publish, then wait until the tracker's consumer group has committed past everything on its topics. */
async function publish(...messages: OutboxMessage[]) {
  await producer.sendBatch({
    topicMessages: messages.map((m) => ({
      topic: m.topic,
      messages: [{ key: m.key, value: encodeEnvelope(m.envelope) }],
    })),
  });
  await waitForGroupCaughtUp(
    admin,
    `${iso.namespace}.tracker.lifecycle`,
    SENT_TO.map((key) => topicName(key, iso.topicPrefix)),
    { what: 'the tracker to consume everything published' },
  );
}

function issued(noticeId: string, noticeNo: string, caseNo: string, agency: string, ms: number) {
  return at(ms).event('notices', noticeId, 'noticeIssued', {
    noticeId,
    notice: {
      noticeNo,
      caseNo,
      court: { code: '川0104', name: '成都市锦江区人民法院' },
      measure: 'query',
      debtor: { kind: 'person', name: '李某', idNumber: ID_NUMBER, creditCode: '', responsiblePersons: [] },
      targets: [{ agency, institution: '' }],
      legalBasis: `${caseNo}执行裁定书`,
      issuedAt: new Date(T0 + ms).toISOString(),
      confirmWarnings: [],
    },
    receivedAt: new Date(T0 + ms),
  });
}

function dispatched(noticeId: string, requestId: string, agency: string, institution: string, ms: number) {
  const topic: TopicKey = agency === 'bank' ? 'requestsBank' : 'requestsRealEstate';
  return at(ms).event(topic, noticeId, 'requestDispatched', {
    requestId,
    noticeId,
    agency,
    institution,
    measure: 'query',
    caseNo: CASE_NO,
    noticeNo: NOTICE_NO,
    legalBasis: `${CASE_NO}执行裁定书`,
  });
}

function answered(
  noticeId: string,
  requestId: string,
  agency: string,
  institution: string,
  ms: number,
  outcome: string,
) {
  return at(ms).event('answers', noticeId, 'requestAnswered', {
    requestId,
    noticeId,
    agency,
    institution,
    outcome,
    reason: outcome === 'refused' ? '系统维护' : '',
    resultJson: '{}',
  });
}

const rowOf = (page: Page, institution: string) =>
  page
    .getByTestId('breach-row')
    .filter({ has: page.getByTestId('breach-institution').getByText(institution) });

/** Publish what the freeze-deduct service would about holds, stamped now; wait until the tracker read it. */
async function publishHolds(...messages: OutboxMessage[]) {
  await producer.sendBatch({
    topicMessages: messages.map((m) => ({
      topic: m.topic,
      messages: [{ key: m.key, value: encodeEnvelope(m.envelope) }],
    })),
  });
  await waitForGroupCaughtUp(
    admin,
    `${iso.namespace}.tracker.side-events`,
    [topicName('holds', iso.topicPrefix)],
    {
      what: 'the tracker to read the hold events',
    },
  );
}

/** A hold whose term ends `days` Beijing days after the hub's now. */
function holdEnding(days: number, noticeId: string, caseNo: string, agency: string, institution: string) {
  const termUntil = shanghaiDate(new Date(clock.now().getTime() + days * 24 * HOUR));
  return {
    holdId: randomUUID(),
    noticeId,
    courtCode: caseNo.includes('川0105') ? '川0105' : '川0104',
    caseNo,
    agency,
    institution,
    assetKind: agency === 'bank' ? 'account' : 'unit',
    assetKey: agency === 'bank' ? '6222020200112233445' : '510104001001GB00001F00010001',
    termUntil,
    lapsesAt: holdLapsesAt(termUntil),
  };
}

describe('ops console', () => {
  const silent = { notice: randomUUID(), request: randomUUID() };
  const answeredNotice = { notice: randomUUID(), ccb: randomUUID(), registry: randomUUID() };

  it('serves its JSON API from the read model', async () => {
    await publish(
      issued(silent.notice, NOTICE_NO, CASE_NO, 'bank', -HOUR),
      dispatched(silent.notice, silent.request, 'bank', 'ICBC', -HOUR + 60_000),
      issued(answeredNotice.notice, '(2026)川0104执77号-协01', '(2026)川0104执77号', 'bank', -3 * HOUR),
      dispatched(answeredNotice.notice, answeredNotice.ccb, 'bank', 'CCB', -3 * HOUR),
      dispatched(
        answeredNotice.notice,
        answeredNotice.registry,
        'real-estate',
        '成都市不动产登记中心',
        -3 * HOUR,
      ),
      answered(answeredNotice.notice, answeredNotice.ccb, 'bank', 'CCB', -HOUR, 'done'),
      answered(
        answeredNotice.notice,
        answeredNotice.registry,
        'real-estate',
        '成都市不动产登记中心',
        -2.5 * HOUR,
        'refused',
      ),
    );

    const agencies = (await app.http.inject({ url: '/v1/ops/agencies' })).json().agencies;
    expect(agencies).toEqual([
      expect.objectContaining({
        agency: 'bank',
        institution: 'CCB',
        backlog: 0,
        answered: 1,
        p50Seconds: 7200,
      }),
      expect.objectContaining({
        agency: 'bank',
        institution: 'ICBC',
        backlog: 1,
        openBreaches: 0,
        answered: 0,
      }),
      expect.objectContaining({ agency: 'real-estate', refusals: 1, p95Seconds: 1800 }),
    ]);
    const hits = (await app.http.inject({ url: `/v1/ops/notices?q=${encodeURIComponent('执1234')}` })).json();
    expect(hits.notices.map((n: { id: string }) => n.id)).toEqual([silent.notice]);
    // An exact ID number finds the debtor's notices by hash; the number itself is never in an answer.
    for (const q of [ID_NUMBER, ID_NUMBER.toLowerCase()]) {
      const byId = await app.http.inject({ url: `/v1/ops/notices?q=${q}` });
      expect(
        byId
          .json()
          .notices.map((n: { id: string }) => n.id)
          .sort(),
      ).toEqual([silent.notice, answeredNotice.notice].sort());
      expect(byId.body).not.toContain(ID_NUMBER);
    }
    const wildcard = await app.http.inject({ url: '/v1/ops/notices?q=%25' });
    expect(wildcard.json().notices).toEqual([]); // LIKE wildcards are searched for, not expanded
    // A NUL is the caller's input, not a query PostgreSQL refuses (it was a 500).
    const nul = await app.http.inject({ url: '/v1/ops/notices?q=%00' });
    expect([nul.statusCode, nul.json().error.details[0]]).toEqual([
      400,
      expect.objectContaining({ path: 'q', code: 'NUL_CHARACTER' }),
    ]);
    const unknown = await app.http.inject({ url: '/v1/ops/notices/not-a-uuid' });
    expect([unknown.statusCode, unknown.json().error.code]).toEqual([404, 'NOTICE_NOT_FOUND']);
    expect((await app.http.inject({ url: '/v1/ops/breaches' })).json().breaches).toEqual([]);

    // A poison event (its notice id is not a UUID) is dead-lettered by the consumer and recorded.
    await publish(dispatched('not-a-uuid', randomUUID(), 'bank', 'BOC', 0));
    const dead = await waitFor(
      async () => {
        const rows = (await app.http.inject({ url: '/v1/ops/dead-letters' })).json().deadLetters;
        return rows.length > 0 && rows;
      },
      { what: 'the poison event in dead_letters' },
    );
    expect(dead).toEqual([
      expect.objectContaining({ eventType: 'RequestDispatched', noticeId: 'not-a-uuid' }),
    ]);
    const bad = await app.http.inject({ url: '/v1/ops/breaches?limit=0' });
    expect([bad.statusCode, bad.json().error.code, bad.json().error.details[0].path]).toEqual([
      400,
      'VALIDATION_FAILED',
      'limit',
    ]);
    // Numbers in decimal digits only: z.coerce took hex, exponents, signs and fractions as numbers.
    for (const [url, path] of [
      ['/v1/ops/breaches?limit=0x10', 'limit'],
      ['/v1/ops/agencies?days=1e2', 'days'],
      ['/v1/ops/notices?q=x&limit=%2B5', 'limit'],
      ['/v1/ops/dead-letters?before=2.0', 'before'],
      ['/v1/ops/punishments/late?limit=%205', 'limit'],
    ]) {
      const res = await app.http.inject({ url: url! });
      expect([res.statusCode, res.json().error.details[0]], url).toEqual([
        400,
        expect.objectContaining({ path, code: 'INVALID_TYPE', message: 'a whole number, in decimal digits' }),
      ]);
    }
    const negative = await app.http.inject({ url: '/v1/ops/breaches?limit=-1' });
    expect(negative.json().error.details[0]).toMatchObject({ path: 'limit', code: 'TOO_SMALL' });
    expect((await app.http.inject({ url: '/v1/ops/agencies?days=7' })).statusCode).toBe(200);
    const page = await app.http.inject({ url: '/' });
    // No inline script: the page loads its TypeScript modules, bundled, from this origin.
    expect(page.headers['content-security-policy']).toContain("script-src 'self';");
    expect(page.body).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    const script = await app.http.inject({ url: '/console.js' });
    expect(script.statusCode).toBe(200);
    expect(script.headers['content-type']).toMatch(/^text\/javascript/);
  });

  it('shows breaches live, per-agency answer times and a notice’s timeline, in 中文 or English', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const problems: string[] = [];
    page.on('pageerror', (err) => problems.push(err.message));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    try {
      // Bytes that are no event at all: the tracker's own consumer dead-letters them, and they are listed.
      await producer.send({
        topic: topicName('notices', iso.topicPrefix),
        messages: [{ key: 'garbage-1', value: GARBAGE }],
      });
      await waitFor(
        async () =>
          (await app.http.inject({ url: '/v1/ops/dead-letters' })).json<{ total: number }>().total === 2,
        { what: 'the undecodable message recorded as a dead letter' },
      );
      await page.goto(`${base}/`);
      const title = page.getByTestId('title');
      await title.filter({ hasText: '运维控制台' }).waitFor();
      expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');

      await page.getByTestId('lang-toggle').click();
      await title.filter({ hasText: 'Ops console' }).waitFor();
      expect(await page.getByTestId('lang-toggle').textContent()).toBe('中文');
      await page.reload();
      await title.filter({ hasText: 'Ops console' }).waitFor(); // the choice is remembered
      await page.getByTestId('lang-toggle').click();
      await title.filter({ hasText: '运维控制台' }).waitFor();
      expect(await page.evaluate("localStorage.getItem('hub.console.lang')")).toBe('zh');

      await page.locator('[data-testid=stream-status][data-state=live]').waitFor();
      const ccb = page.locator('[data-testid=agency-row][data-institution=CCB]');
      await ccb.filter({ hasText: '2.0小时 / 2.0小时' }).waitFor();
      expect(await page.getByTestId('breach-row').count()).toBe(0);
      await page.getByTestId('dead-letter-row').filter({ hasText: 'not-a-uuid' }).waitFor();
      expect(await page.getByTestId('dead-letter-count').textContent()).toBe('2');
      const garbage = page.getByTestId('dead-letter-row').filter({ hasText: '[UNDECODABLE]' });
      expect(await garbage.textContent()).toContain(topicName('notices', iso.topicPrefix));
      await garbage.locator('summary', { hasText: `${GARBAGE.length} 字节` }).click();
      const hexDump = garbage.getByTestId('dead-letter-hex');
      await hexDump.waitFor();
      expect(await hexDump.textContent()).toBe(`00000000  ff fe 00 01 68 75 62${' '.repeat(27)}  ....hub`);
      expect(await garbage.textContent()).toContain('garbage-1');
      await page.evaluate('window.loadedOnce = true');

      // The bank's 24 h passes unanswered: the tracker's SLA detector stamps it; the open page shows it.
      clock.set(new Date(T0 + 24 * HOUR));
      const row = rowOf(page, 'ICBC');
      await row.waitFor();
      expect(await row.textContent()).toContain(CASE_NO);
      expect(await row.textContent()).toContain('银行');
      expect(await row.getByTestId('badge-escalated').count()).toBe(0);
      expect(await page.getByTestId('breach-count').textContent()).toBe('1');
      const icbc = page.locator('[data-testid=agency-row][data-institution=ICBC]');
      await icbc.locator('[data-testid=agency-breaches]', { hasText: /^1$/ }).waitFor();

      // Another 24 h with no answer: escalated, on the same row, still without reloading the page.
      clock.set(new Date(T0 + 48 * HOUR));
      await row.locator('[data-testid=badge-escalated]', { hasText: '已升级' }).waitFor();
      expect(await page.evaluate('window.loadedOnce')).toBe(true);

      await page.getByTestId('search-input').fill(CASE_NO);
      await page.getByTestId('search-input').press('Enter');
      const hit = page.locator('[data-testid=search-result]', { hasText: NOTICE_NO });
      await hit.waitFor();
      expect(await page.getByTestId('search-result').count()).toBe(1);
      await hit.click();
      const timeline = page.getByTestId('timeline');
      await timeline.locator('[data-event=RequestEscalated]').waitFor();
      const events = await timeline
        .getByTestId('timeline-entry')
        .evaluateAll((lis) =>
          lis.map((li) => (li as unknown as { dataset: { event: string } }).dataset.event),
        );
      expect(events).toEqual(['NoticeIssued', 'RequestDispatched', 'RequestBreached', 'RequestEscalated']);
      expect(await timeline.textContent()).toContain('超期未答复');
      expect(await page.getByTestId('notice-title').textContent()).toBe(NOTICE_NO);

      const dir = join(REPO_ROOT, 'test-artifacts');
      mkdirSync(dir, { recursive: true });
      await page.screenshot({ path: join(dir, 'console.png'), fullPage: true });

      // Everything already on the page follows the language switch, live data included.
      await page.getByTestId('lang-toggle').click();
      await row.locator('[data-testid=badge-escalated]', { hasText: 'Escalated' }).waitFor();
      await timeline.locator('[data-event=RequestBreached]', { hasText: 'SLA breached' }).waitFor();
      await page.screenshot({ path: join(dir, 'console-en.png'), fullPage: true });
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  }, 120_000);

  it('lists holds running out across courts, and shows a lapse live in the list and in the notice’s timeline', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const problems: string[] = [];
    page.on('pageerror', (err) => problems.push(err.message));
    try {
      const bank = holdEnding(1, answeredNotice.notice, '(2026)川0104执77号', 'bank', 'CCB');
      const unit = holdEnding(12, randomUUID(), '(2026)川0105执88号', 'real-estate', '成都市不动产登记中心');
      await publishHolds(
        at(clock.now().getTime() - T0).event('holds', unit.noticeId, 'holdExpiring', {
          ...unit,
          daysLeft: 12,
          leadWorkingDays: 15,
        }),
        at(clock.now().getTime() - T0).event('holds', bank.noticeId, 'holdExpiring', {
          ...bank,
          daysLeft: 1,
          leadWorkingDays: 15,
        }),
      );
      await page.goto(`${base}/`);
      await page.locator('[data-testid=stream-status][data-state=live]').waitFor();
      const rows = page.getByTestId('hold-row');
      await rows.nth(1).waitFor();
      // Soonest first: the bank's freeze ends tomorrow, the seal in 12 days; no number in clear.
      expect(
        await rows.evaluateAll((trs) =>
          trs.map((tr) => (tr as unknown as { dataset: { holdId: string } }).dataset.holdId),
        ),
      ).toEqual([bank.holdId, unit.holdId]);
      expect(await rows.first().getByTestId('badge-expiring').textContent()).toBe('待续行');
      expect(await rows.nth(1).getByTestId('hold-days-left').textContent()).toBe('12');
      expect(await page.getByTestId('hold-count').textContent()).toBe('2');
      expect(await page.getByTestId('holds').textContent()).not.toContain('6222020200112233445');

      // The freeze is not renewed: past its deadline it lapses, and the open page shows it without reloading.
      clock.set(new Date(bank.lapsesAt.getTime() + 60_000));
      const { lapsesAt, ...lapsedHold } = bank;
      await publishHolds(
        at(clock.now().getTime() - T0).event('holds', bank.noticeId, 'holdLapsed', {
          ...lapsedHold,
          lapsedAt: lapsesAt,
          daysLeft: 0,
          frozenFen: 100_000,
        }),
      );
      const lapsed = page.locator(`[data-testid=hold-row][data-hold-id="${bank.holdId}"][data-lapsed=true]`);
      await lapsed.getByTestId('badge-lapsed').filter({ hasText: '已失效' }).waitFor();

      await lapsed.getByTestId('hold-case').click();
      const timeline = page.getByTestId('timeline');
      await timeline.locator('[data-event=HoldLapsed].bad', { hasText: '未续行，已失效' }).waitFor();
      expect(await timeline.locator('[data-event=HoldExpiring]').count()).toBe(1);
      await page.getByTestId('lang-toggle').click();
      await lapsed.getByTestId('badge-lapsed').filter({ hasText: 'Lapsed' }).waitFor();
      await page.getByTestId('lang-toggle').click();
      const dir = join(REPO_ROOT, 'test-artifacts');
      mkdirSync(dir, { recursive: true });
      await page.screenshot({ path: join(dir, 'console-holds.png'), fullPage: true });
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  }, 60_000);

  it('replays the timeline after Last-Event-ID and ends open streams when the server closes', async () => {
    // A second tracker on the same database: the stream reads the DB, not one process's memory.
    const other = createHttpServer({
      logger,
      registry: createMetricsRegistry('tracker-console-test', { defaultMetrics: false }),
      readiness: [],
    });
    registerOpsRoutes(other, { pool: app.runtime.pool, clock, streamIntervalMs: 50 });
    await other.listen({ host: '127.0.0.1', port: 0 });
    let closed = false;
    try {
      const res = await fetch(`http://127.0.0.1:${portOf(other)}/v1/ops/stream`, {
        headers: { 'last-event-id': '0' },
        signal: AbortSignal.timeout(20_000),
      });
      expect(res.headers.get('content-type')).toContain('text/event-stream');
      const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
      let text = '';
      while (!text.includes('RequestEscalated')) {
        const chunk = await reader.read();
        if (chunk.done) throw new Error(`stream ended early: ${text}`);
        text += chunk.value;
      }
      const events = text
        .split('\n\n')
        .filter((block) => block.includes('event: timeline'))
        .map((block) => JSON.parse(block.slice(block.indexOf('data: ') + 6)));
      expect(events.map((e) => e.event)).toContain('RequestBreached');
      const escalated = events.find((e) => e.event === 'RequestEscalated');
      expect(escalated).toMatchObject({
        noticeId: silent.notice,
        requestId: silent.request,
        request: { institution: 'ICBC', caseNo: CASE_NO, open: true, late: false },
      });
      expect(escalated.request.escalatedAt).toBe(new Date(T0 + 48 * HOUR).toISOString());
      expect(events.map((e) => e.id)).toEqual([...events.map((e) => e.id)].sort((a, b) => a - b));

      // Closing with a subscriber attached neither hangs nor leaves the subscriber waiting.
      await other.close();
      closed = true;
      for (;;) if ((await reader.read()).done) break;
    } finally {
      if (!closed) await other.close();
    }
  });
});
