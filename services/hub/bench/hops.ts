/**
 * Where a notice's time goes, hop by hop (a diagnostic beside the open-loop benchmark): starts the hub in one
 * process (HOPS_MODE=separate: one per service), files HOPS_NOTICES inquiries (default 20) to every agency
 * kind HOPS_GAP_MS apart (default 500), stops it, then reads every topic of the run and prints per event type
 * (the first of its kind per notice, and the later ones): "prev→made" from the previous event of the notice
 * on Kafka to when the next service created this one (consumer fetch + its transaction), "made→kafka" from
 * then to its append (commit + outbox relay), and "filed→kafka" from the court's POST. HOPS_DUMP=1 also lists
 * the last three notices event by event; HOPS_SETTLE_MS (default 5000) how long the hub runs after the last filing.
 * Run: `npx tsx services/hub/bench/hops.ts` (KAFKA_BROKERS as for tests).
 */
import { decodeEnvelope } from '@hub/contracts';
import { createKafka } from '@hub/messaging';
import { createLogger } from '@hub/service-kit';
import { startProcesses } from '../src/processes.js';
import { COURT_HEADERS, diagnosticHubEnv, percentile } from './harness.js';
import { inquiry } from './inquiries.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const ns = `hops${Math.random().toString(16).slice(2, 8)}`;
const n = Number(process.env.HOPS_NOTICES ?? 20);
const gapMs = Number(process.env.HOPS_GAP_MS ?? 500);
const targets = ['bank', 'real-estate', 'public-security', 'provident-fund'];

const hub = await startProcesses(diagnosticHubEnv(ns), { oneProcess: process.env.HOPS_MODE !== 'separate' });
const filed = new Map<string, number>();
try {
  for (let i = 0; i < n; i++) {
    const at = Date.now();
    const res = await fetch(`${hub.gateway}/v1/notices`, {
      method: 'POST',
      headers: { ...COURT_HEADERS, 'idempotency-key': `${ns}-${i}` },
      body: JSON.stringify(inquiry(ns, i, targets)),
    });
    const body = (await res.json()) as { id: string };
    filed.set(body.id, at);
    await sleep(gapMs);
  }
  await sleep(Number(process.env.HOPS_SETTLE_MS ?? 5000));
} finally {
  await hub.stop();
}

const logger = createLogger({ service: 'hops', level: 'warn' });
const kafka = createKafka({ brokers, clientId: 'hops', logger });
const admin = kafka.admin();
await admin.connect();
const topics = (await admin.listTopics()).filter((t) => t.startsWith(`${ns}.`));
const ends = new Map<string, number>();
for (const t of topics) {
  const offs = await admin.fetchTopicOffsets(t);
  ends.set(
    t,
    offs.reduce((s, o) => s + Number(o.high), 0),
  );
}
await admin.disconnect();
const total = [...ends.values()].reduce((a, b) => a + b, 0);
type Ev = { type: string; made: number; kafka: number; notice: string };
const events: Ev[] = [];
const consumer = kafka.consumer({ groupId: `${ns}.hops`, maxWaitTimeInMs: 200 });
await consumer.connect();
await consumer.subscribe({ topics, fromBeginning: true });
await consumer.run({
  eachMessage: async ({ message }) => {
    try {
      const env = decodeEnvelope(message.value!);
      events.push({
        type: env.payload?.$case ?? '?',
        made: env.occurredAt!.getTime(),
        kafka: Number(message.timestamp),
        notice: env.noticeId,
      });
    } catch {
      events.push({ type: 'undecodable', made: 0, kafka: Number(message.timestamp), notice: '' });
    }
  },
});
const t0 = Date.now();
while (events.length < total && Date.now() - t0 < 30_000) await sleep(200);
await consumer.disconnect();

// Per notice, in append order: each event's gap from the previous one appended (its cause, roughly).
const byNotice = new Map<string, Ev[]>();
for (const e of events)
  if (filed.has(e.notice)) byNotice.set(e.notice, [...(byNotice.get(e.notice) ?? []), e]);
const gaps = new Map<string, { make: number[]; relay: number[]; fromFiled: number[] }>();
for (const [id, evs] of byNotice) {
  evs.sort((a, b) => a.kafka - b.kafka);
  const f = filed.get(id)!;
  let prev = f;
  const seen = new Set<string>();
  for (const e of evs) {
    const key = seen.has(e.type) ? `${e.type}(later)` : e.type;
    seen.add(e.type);
    const g = gaps.get(key) ?? { make: [], relay: [], fromFiled: [] };
    g.make.push(e.made - prev);
    g.relay.push(e.kafka - e.made);
    g.fromFiled.push(e.kafka - f);
    gaps.set(key, g);
    prev = e.kafka;
  }
}
console.log(`${byNotice.size} notices, ${events.length} events; p50 (p90) ms`);
console.log(
  'event'.padEnd(34),
  'prev→made'.padStart(14),
  'made→kafka'.padStart(14),
  'filed→kafka'.padStart(14),
);
const p = (xs: number[], q: number) =>
  percentile(
    [...xs].sort((a, b) => a - b),
    q,
  ).toFixed(0);
for (const [k, g] of [...gaps].sort((a, b) => Number(p(a[1].fromFiled, 50)) - Number(p(b[1].fromFiled, 50))))
  console.log(
    k.padEnd(34),
    `${p(g.make, 50)} (${p(g.make, 90)})`.padStart(14),
    `${p(g.relay, 50)} (${p(g.relay, 90)})`.padStart(14),
    `${p(g.fromFiled, 50)} (${p(g.fromFiled, 90)})`.padStart(14),
  );
if (process.env.HOPS_DUMP) {
  const ids = [...byNotice.keys()];
  for (const id of ids.slice(-3)) {
    const f = filed.get(id)!;
    console.log(`notice ${id}`);
    for (const e of byNotice.get(id)!)
      console.log(
        `  ${e.type.padEnd(24)} made ${String(e.made - f).padStart(5)}  kafka ${String(e.kafka - f).padStart(5)}`,
      );
  }
}
process.exit(0);
