import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { encodeEnvelope, topicName } from '@hub/contracts';
import { manualClock } from '@hub/domain';
import { createKafka, eventFactory, type Kafka, type OutboxMessage } from '@hub/messaging';
import { createLogger } from '@hub/service-kit';
import { endpoints, hubEnv, isolate, waitFor, waitForGroupCaughtUp } from '@hub/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, loadConfig } from '../src/app.js';

const HOUR = 3_600_000;
const iso = isolate();
const logger = createLogger({ service: 'tracker-holds-test', level: 'error' });
// Hub time: 2026-12-16 10:00 Beijing time, moved only by the test.
const clock = manualClock(new Date('2026-12-16T10:00:00+08:00'));
const ACCOUNT = '6222020200112233445';
const MASKED = '6222***********3445';

// The alert webhook records what it is sent.
const alerts: Record<string, unknown>[] = [];
const webhook = http.createServer((req, res) => {
  let body = '';
  req.on('data', (c) => {
    body += c;
  });
  req.on('end', () => {
    alerts.push(JSON.parse(body));
    res.writeHead(204).end();
  });
});

let app: ReturnType<typeof buildApp>;
let kafka: Kafka;
let producer: ReturnType<Kafka['producer']>;
let admin: ReturnType<Kafka['admin']>;

beforeAll(async () => {
  await new Promise<void>((r) => webhook.listen(0, '127.0.0.1', r));
  const port = (webhook.address() as AddressInfo).port;
  app = buildApp(
    loadConfig(
      hubEnv(iso, {
        TRACKER_ALERT_WEBHOOK_URL: `http://127.0.0.1:${port}/alerts`,
        TRACKER_SLA_SWEEP_MS: '100',
      }),
    ),
    { logger, clock },
  );
  await app.start();
  kafka = createKafka({ brokers: endpoints().kafkaBrokers, clientId: 'tracker-holds-test', logger });
  producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  admin = kafka.admin();
  await Promise.all([producer.connect(), admin.connect()]);
});

afterAll(async () => {
  await producer?.disconnect();
  await admin?.disconnect();
  await app?.stop();
  await new Promise((r) => webhook.close(r));
  await iso.cleanup();
});

const events = eventFactory({
  producer: 'freeze-deduct',
  topicPrefix: iso.topicPrefix,
  now: () => clock.now(),
});

/** Publish, then wait until the tracker's consumer groups have read everything on the topics. */
async function publish(...messages: OutboxMessage[]) {
  await producer.sendBatch({
    topicMessages: messages.map((m) => ({
      topic: m.topic,
      messages: [{ key: m.key, value: encodeEnvelope(m.envelope) }],
    })),
  });
  for (const [group, key] of [
    ['side-events', 'holds'],
    ['lifecycle', 'notices'],
  ] as const)
    await waitForGroupCaughtUp(admin, `${iso.namespace}.tracker.${group}`, [topicName(key, iso.topicPrefix)]);
}

const hold = (caseNo: string, termUntil: string, noticeId = randomUUID(), holdId = randomUUID()) => ({
  holdId,
  noticeId,
  courtCode: '川0104',
  caseNo,
  agency: 'bank',
  institution: 'ICBC',
  assetKind: 'account',
  assetKey: ACCOUNT,
  termUntil,
  lapsesAt: new Date(`${termUntil}T16:00:00Z`),
});
type Hold = ReturnType<typeof hold>;
const expiring = (h: Hold, daysLeft: number) =>
  events.event('holds', h.noticeId, 'holdExpiring', { ...h, daysLeft, leadWorkingDays: 15 });
const lapsed = ({ lapsesAt, ...h }: Hold) =>
  events.event('holds', h.noticeId, 'holdLapsed', {
    ...h,
    lapsedAt: lapsesAt,
    daysLeft: 0,
    frozenFen: 100_000,
  });
// A minute before the hold events, which happen at the clock's now: a timeline orders by time, and events
// of one instant from two consumers have no order to test.
const issued = (noticeId: string, caseNo: string) => {
  const earlier = new Date(clock.now().getTime() - 60_000);
  const e = events.event('notices', noticeId, 'noticeIssued', {
    noticeId,
    notice: {
      noticeNo: `${caseNo}-冻01`,
      caseNo,
      court: { code: '川0104', name: '成都市锦江区人民法院' },
      measure: 'freeze',
      debtor: {
        kind: 'person',
        name: '李某',
        idNumber: '11010519491231002X',
        creditCode: '',
        responsiblePersons: [],
      },
      targets: [{ agency: 'bank', institution: 'ICBC' }],
      legalBasis: `${caseNo}执行裁定书`,
      issuedAt: '2026-11-16T09:00:00+08:00',
      confirmWarnings: [],
    },
    receivedAt: earlier,
  });
  e.envelope.occurredAt = earlier;
  return e;
};

const expiringList = async () =>
  (await app.http.inject({ url: '/v1/ops/holds/expiring' })).json<{
    holds: { holdId: string; lapsed: boolean; daysLeft: number; asset: string; termUntil: string }[];
  }>().holds;

describe('holds running out, in the tracker', () => {
  const soon = hold('(2026)川0104执9201号', '2026-12-21');
  const later = hold('(2026)川0104执9202号', '2027-01-08');
  const gone = hold('(2026)川0104执9203号', '2026-12-15');

  it('lists reminded and lapsed holds across courts, soonest first, lapsed ones marked, the asset masked', async () => {
    await publish(issued(soon.noticeId, soon.caseNo), expiring(later, 23), expiring(soon, 5), lapsed(gone));
    const listed = await expiringList();
    expect(listed.map((h) => [h.holdId, h.lapsed, h.daysLeft])).toEqual([
      [gone.holdId, true, 0],
      [soon.holdId, false, 5],
      [later.holdId, false, 23],
    ]);
    expect(listed[1]).toMatchObject({ caseNo: soon.caseNo, institution: 'ICBC', asset: MASKED });
    const body = (await app.http.inject({ url: '/v1/ops/holds/expiring' })).body;
    expect(body).not.toContain(ACCOUNT);
    const bad = await app.http.inject({ url: '/v1/ops/holds/expiring?limit=0' });
    expect([bad.statusCode, bad.json().error.code]).toEqual([400, 'VALIDATION_FAILED']);
  });

  it('writes the reminder and the lapse into the timeline of the notice that set the term', async () => {
    await publish(lapsed(soon));
    const view = (await app.http.inject({ url: `/v1/ops/notices/${soon.noticeId}` })).json<{
      timeline: { event: string; detail: string }[];
    }>();
    expect(view.timeline.map((t) => t.event)).toEqual(['NoticeIssued', 'HoldExpiring', 'HoldLapsed']);
    expect(view.timeline[1]!.detail).toBe(`ICBC ${MASKED}: until 2026-12-21, days left: 5`);
    expect(JSON.stringify(view)).not.toContain(ACCOUNT);
  });

  it('fires the SLA alerts’ webhook once for each reminder and each lapse, even for a repeated event', async () => {
    // The same event delivered twice, and the same reminder again as another event: news neither time.
    const again = expiring(later, 23);
    await publish(again, again, lapsed(gone));
    await waitFor(() => alerts.length >= 4, { what: 'four alerts at the webhook' });
    await waitFor(
      async () =>
        (await app.runtime.pool.query("SELECT 1 FROM timers WHERE kind = 'sla.alert'")).rowCount === 0,
      { what: 'every alert delivered' },
    );
    const sent = alerts.map((a) => `${a.kind}:${a.holdId}`).sort();
    expect(sent).toEqual(
      [
        `hold-expiring:${later.holdId}`,
        `hold-expiring:${soon.holdId}`,
        `hold-lapsed:${gone.holdId}`,
        `hold-lapsed:${soon.holdId}`,
      ].sort(),
    );
    expect(alerts.find((a) => a.kind === 'hold-lapsed' && a.holdId === gone.holdId)).toMatchObject({
      caseNo: gone.caseNo,
      court: '川0104',
      institution: 'ICBC',
      asset: MASKED,
      termUntil: '2026-12-15',
      deadline: '2026-12-15T16:00:00.000Z',
      daysLeft: 0,
    });
    expect(JSON.stringify(alerts)).not.toContain(ACCOUNT);
  });

  it('a renewed hold’s next reminder replaces its row, an older one changes nothing; lapsed ones stay a week', async () => {
    // The renewal gives `later` a new term: its next reminder replaces the row; an old one changes nothing.
    await publish(
      expiring({ ...later, termUntil: '2027-02-26', lapsesAt: new Date('2027-02-26T16:00:00Z') }, 40),
    );
    await publish(expiring(later, 23));
    expect((await expiringList()).find((h) => h.holdId === later.holdId)?.termUntil).toBe('2027-02-26');
    // A week after 12-21 ended: the hold lapsed at the end of 12-15 is off the list, the one of 12-21 still on.
    clock.set(new Date(new Date('2026-12-22T00:00:00+08:00').getTime() + 7 * 24 * HOUR - HOUR));
    expect((await expiringList()).map((h) => h.holdId)).toEqual([soon.holdId, later.holdId]);
  });
});
