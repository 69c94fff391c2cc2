/**
 * The open-loop benchmark (what users feel): inquiries filed one by one at a fixed arrival rate, whatever the
 * hub answers, so a slow hub shows as queueing instead of hiding it (a closed loop slows its own arrivals).
 *
 *  1. Baselines on the same broker and database: raw kafkajs round trips/s, PostgreSQL commits/s.
 *  2. The hub in its own process(es) (one process, or one per service), mock agencies answering at once.
 *  3. Idle: the hub's CPU with nothing to do, agency-sim connected.
 *  4. Steps of rising offered rates (agency requests/s): a step is sustained when the backlog stays flat over
 *     its last two thirds, holds no more than a second of arrivals on average there (Little's law: a mean time
 *     in the hub of at most 1 s; a flat queue of several seconds is a hub that fell behind and stopped falling
 *     further, not one that keeps up) and completions keep up; stepping stops at the first that is not.
 *  5. A hold at 70 % of the highest sustained rate: latency per agency request, submission → completion, and
 *     by stage (stored, published, dispatched, delivered, answered, completed), seen on Kafka.
 * Every step and the hold also count the CPU of the hub's processes, the mock agencies, PostgreSQL, the broker,
 * this process and the whole machine (MachineCpu): on two shared cores they all compete for the same time.
 * Prints progress while it runs, a table at the end, and writes JSON and an SVG plot to bench-results/.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import {
  ANSWER_TOPIC_KEYS,
  decodeEnvelope,
  eventTypeOf,
  NOTICE_TOPIC_KEYS,
  REQUEST_TOPIC_KEYS,
  topicName,
} from '@hub/contracts';
import { createKafka } from '@hub/messaging';
import { createLogger, type LoopSummary, parseLoopTrace, summarizeLoopTrace } from '@hub/service-kit';
import { connectClient } from '@hub/store';
import { Pool } from 'undici';
import { type RunningProcesses, startProcesses } from '../src/processes.js';
import { measureKafkaRoundTrips, measurePostgresCommits } from './baselines.js';
import { COURT_HEADERS, percentile } from './harness.js';
import { inquiry } from './inquiries.js';
import { startVacuumStandIn } from './vacuum.js';

export interface OpenLoopOptions {
  modes: ('one' | 'separate')[];
  /** Offered agency requests/s, in order; stepping stops at the first not sustained. */
  rates: number[];
  stepSeconds: number;
  holdSeconds: number;
  idleSeconds: number;
  /** Seconds idle before measuring: V8 keeps compiling what start-up ran for a while, which is not idling. */
  idleSettleSeconds: number;
  /**
   * Seconds of load at the first rate after the idle phase, then drained, not measured: the request path's code is
   * compiled by V8 on its first thousands of calls, which is start-up, not the steady state a step measures (every
   * process of the separate mode compiles it on its own: its first 150/s step began with a p50 of 3.9 s).
   */
  warmupSeconds: number;
  targets: string[];
  /** Share of notices whose every stage is traced (decoding every event would load the machine). */
  sample: number;
  outDir: string;
  /**
   * The mock agencies (agency-sim) in a process of their own in the one-process mode, as partners are never
   * in the hub's process (default). Either way "hub CPU" counts the hub's processes only, and the agencies'
   * CPU is printed beside it; `--agencies in` runs them inside the hub's process, whose CPU then includes theirs.
   */
  agenciesApart: boolean;
  /** On a PostgreSQL with autovacuum off, vacuum and analyze the run's tables as autovacuum would (vacuum.ts). */
  vacuumStandIn: boolean;
  /**
   * Every hub process writes its event loop's delay and GC each second (HUB_LOOP_TRACE), summarised over the hold:
   * on a shared loop, the wait every callback has before it runs is part of every hop's latency. Its 1 ms timer
   * costs CPU of its own, so the idle figure of such a run is not the hub's.
   */
  traceLoop?: boolean;
}

const STAGES = ['stored', 'published', 'dispatched', 'delivered', 'answered', 'completed'] as const;
type Stage = (typeof STAGES)[number];

interface NoticeTrace {
  due: number;
  stored?: number;
  published?: number;
  completed?: number;
  requests?: number;
  /** Per request (sampled notices only): when each stage was seen. */
  perRequest?: Map<string, Partial<Record<Stage, number>>>;
}

interface Second {
  t: number;
  phase: string;
  offered: number;
  completedRequests: number;
  backlog: number;
  p50: number;
  p99: number;
}

interface StepFigures {
  offered: number;
  completedPerSecond: number;
  backlogSlope: number;
  /** Mean backlog (agency requests submitted, not completed) over the step's last two thirds. */
  backlogMean: number;
  errors: number;
  sustained: boolean;
  cpuPercent: number;
  /** The mock agencies' process (absent when they run inside the hub's). */
  agenciesCpuPercent: number;
  /** Each hub process's share, % of one core (separate processes: where the hub's CPU goes by service). */
  cpuByProcess: Record<string, number>;
  /** The rest of the machine over the step (% of one core): see {@link MachineCpu}. */
  machine: MachineCpu;
  /** The mock agencies' signed calls over the step (their /v1/sim/status), per completed agency request too. */
  agencyCalls?: AgencyCalls & { perRequest: number };
}

interface AgencyCalls {
  inbox: number;
  answers: number;
  leasedWithAnswers: number;
}

function callsBetween(a: AgencyCalls | undefined, b: AgencyCalls | undefined, requests: number) {
  if (!a || !b || requests <= 0) return undefined;
  const d = {
    inbox: b.inbox - a.inbox,
    answers: b.answers - a.answers,
    leasedWithAnswers: b.leasedWithAnswers - a.leasedWithAnswers,
  };
  return { ...d, perRequest: (d.inbox + d.answers) / requests };
}

/** The mock agencies' call counters summed over every institution; undefined if their status cannot be read. */
async function agencyCallsOf(simUrl: string): Promise<AgencyCalls | undefined> {
  try {
    const res = await fetch(`${simUrl}/v1/sim/status`);
    const { agencies } = (await res.json()) as { agencies: { calls?: AgencyCalls }[] };
    const sum: AgencyCalls = { inbox: 0, answers: 0, leasedWithAnswers: 0 };
    for (const a of agencies) {
      sum.inbox += a.calls?.inbox ?? 0;
      sum.answers += a.calls?.answers ?? 0;
      sum.leasedWithAnswers += a.calls?.leasedWithAnswers ?? 0;
    }
    return sum;
  } catch {
    return undefined;
  }
}

/**
 * What the whole machine spent over a phase, % of one core: PostgreSQL (every `postgres` process: the hub's
 * backends, and the server's own), the Kafka broker, this benchmark's process (filing, observing), and every
 * CPU's busy time from /proc/stat (all processes and the kernel). The hub's work costs all of these, and on two
 * cores they compete with it: `usPerRequest` is the machine's busy time per completed agency request.
 */
interface MachineCpu {
  postgresPercent: number;
  /**
   * PostgreSQL's share by the client its backends serve (`application_name`: each service's pool names its schema,
   * e.g. `adapter-bank`, `query`, `tracker`; `bench-vacuum` is this benchmark's autovacuum stand-in), % of one core;
   * the server's own processes (WAL writer, checkpointer …) under their backend type.
   */
  postgresByClient: Record<string, number>;
  kafkaPercent: number;
  benchPercent: number;
  busyPercent: number;
  usPerRequest: number;
}

interface ModeFigures {
  mode: string;
  /** Where the mock agencies ran: their own process, or inside the one-process hub. */
  agencies: 'apart' | 'in';
  /** Whether the bench stood in for the server's autovacuum (off on the server), and how many tables it vacuumed. */
  vacuumStandIn: { running: boolean; tablesVacuumed: number };
  idleCpuPercent: number;
  idleAgenciesCpuPercent: number;
  idleCpuByProcess: Record<string, number>;
  steps: StepFigures[];
  sustained: number;
  hold?: {
    offered: number;
    completedPerSecond: number;
    cpuPercent: number;
    cpuUsPerRequest: number;
    machine: MachineCpu;
    latencyMs: { p50: number; p95: number; p99: number; max: number };
    stagesMs: Record<Stage, { p50: number; p95: number; p99: number }>;
    notices: number;
    /** Each hub process's share, % of one core. */
    cpuByProcess: Record<string, number>;
    /** Each hub process's event loop over the hold (--trace-loop), the one waited on longest first. */
    loop?: LoopSummary[];
  };
  timeline: Second[];
}

const CLK_TCK = 100;
/** CPU seconds (user + system) of one process so far, from /proc. */
function cpuSecondsOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
  } catch {
    return 0;
  }
}

/** Pids of the processes whose command name is `comm` (e.g. postgres), or whose command line holds `arg`. */
function pidsOf(match: { comm?: string; arg?: string }): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^[0-9]+$/.test(name)) continue;
    try {
      if (match.comm && readFileSync(`/proc/${name}/comm`, 'utf8').trim() === match.comm)
        out.push(Number(name));
      else if (match.arg && readFileSync(`/proc/${name}/cmdline`, 'utf8').includes(match.arg))
        out.push(Number(name));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** Busy CPU seconds of every CPU together so far (user, nice, system, irq, softirq, steal), from /proc/stat. */
function machineBusySeconds(): number {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const [user, nice, system, , , irq, softirq, steal] = f as [number, ...number[]];
  return (user + nice! + system! + irq! + softirq! + steal!) / CLK_TCK;
}

/** A snapshot for {@link MachineCpu}: CPU seconds so far per process of each group, and the machine's. */
function machineSnapshot() {
  const of = (pids: number[]) => new Map(pids.map((pid) => [pid, cpuSecondsOf(pid)]));
  return {
    at: performance.now(),
    postgres: of(pidsOf({ comm: 'postgres' })),
    kafka: of(pidsOf({ arg: 'kafka.Kafka' })),
    bench: cpuSecondsOf(process.pid),
    busy: machineBusySeconds(),
  };
}

/** PostgreSQL backends by pid → the client they serve (application_name, else the backend's type). */
async function postgresClients(): Promise<Map<number, string>> {
  try {
    const client = await connectClient({
      url: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
      schema: 'public',
      applicationName: 'bench-observer',
    });
    try {
      const { rows } = await client.query<{ pid: number; name: string }>(
        `SELECT pid, COALESCE(NULLIF(application_name, ''), backend_type) AS name FROM pg_stat_activity`,
      );
      return new Map(rows.map((r) => [r.pid, r.name]));
    } finally {
      await client.end();
    }
  } catch {
    return new Map();
  }
}

/** `adapter-bank 7, query 6.9, …` (% of one core), the largest first. */
/** `name share, …`, the largest first (at most `limit`). */
const shareText = (shares: Record<string, number>, limit = 11) =>
  Object.entries(shares)
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([name, v]) => `${name} ${v.toFixed(1)}`)
    .join(', ');
const byClientText = (m: MachineCpu) => shareText(m.postgresByClient, 8);

/**
 * From two snapshots: a process in both counts its difference, one born between counts all its time (all of it
 * within the phase), one that ended between is lost (a pool's connections live through a run).
 */
async function machineBetween(
  a: ReturnType<typeof machineSnapshot>,
  completedPerSecond: number,
): Promise<MachineCpu> {
  const b = machineSnapshot();
  const seconds = (b.at - a.at) / 1000;
  const delta = (before: Map<number, number>, after: Map<number, number>) =>
    [...after].reduce((sum, [pid, cpu]) => sum + cpu - (before.get(pid) ?? 0), 0);
  const pct = (cpuSeconds: number) => (cpuSeconds / seconds) * 100;
  const busyPercent = pct(b.busy - a.busy);
  const byClient: Record<string, number> = {};
  const clients = await postgresClients();
  for (const [pid, cpu] of b.postgres) {
    const name = clients.get(pid) ?? 'other';
    byClient[name] = (byClient[name] ?? 0) + pct(cpu - (a.postgres.get(pid) ?? 0));
  }
  return {
    postgresPercent: pct(delta(a.postgres, b.postgres)),
    postgresByClient: Object.fromEntries(
      Object.entries(byClient)
        .filter(([, v]) => v >= 0.05)
        .sort(([, x], [, y]) => y - x),
    ),
    kafkaPercent: pct(delta(a.kafka, b.kafka)),
    benchPercent: pct(b.bench - a.bench),
    busyPercent,
    usPerRequest: ((busyPercent / 100) * 1e6) / Math.max(1, completedPerSecond),
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Least-squares slope of y over x. */
function slope(points: readonly [number, number][]): number {
  const n = points.length;
  if (n < 2) return 0;
  const mx = points.reduce((s, p) => s + p[0], 0) / n;
  const my = points.reduce((s, p) => s + p[1], 0) / n;
  let num = 0;
  let den = 0;
  for (const [x, y] of points) {
    num += (x - mx) * (y - my);
    den += (x - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

class Run {
  readonly traces = new Map<string, NoticeTrace>();
  readonly byNoticeNo = new Map<string, string>();
  /** Whether notices are sampled for their stages: only once the stage observer listens (the hold). */
  tracing = false;
  submittedRequests = 0;
  completedRequests = 0;
  errors = 0;
  /** Completion latencies (ms) of the current second, per agency request (a notice counts `requests` times). */
  second: number[] = [];
  private next = 0;

  constructor(
    readonly ns: string,
    readonly gateway: Pool,
    readonly options: OpenLoopOptions,
    /** Agency requests one inquiry makes (learned from the first). */
    public perNotice: number,
  ) {}

  /** File one inquiry due at `due`; its id is traced from the reply on. */
  async file(due: number): Promise<void> {
    const i = this.next++;
    const body = JSON.stringify(inquiry(this.ns, 1_000_000 + i, this.options.targets));
    try {
      const res = await this.gateway.request({
        method: 'POST',
        path: '/v1/notices',
        headers: COURT_HEADERS,
        body,
      });
      const text = await res.body.text();
      if (res.statusCode !== 202) {
        this.errors += 1;
        return;
      }
      const { id } = JSON.parse(text) as { id: string };
      const known = this.traces.get(id);
      const trace: NoticeTrace = known ?? { due };
      trace.due = due;
      trace.stored = performance.now();
      if (this.tracing && Math.random() < this.options.sample) trace.perRequest ??= new Map();
      this.traces.set(id, trace);
      this.submittedRequests += this.perNotice;
      if (trace.completed !== undefined) this.complete(trace);
    } catch {
      this.errors += 1;
    }
  }

  complete(trace: NoticeTrace): void {
    if (trace.stored === undefined || trace.completed === undefined) return; // counted when the reply lands
    const requests = trace.requests ?? this.perNotice;
    this.completedRequests += requests;
    const ms = trace.completed - trace.due;
    for (let k = 0; k < requests; k++) this.second.push(ms);
  }
}

/**
 * A consumer of the run's `topics` in a group of its own (`<ns>.<name>`), handing each fetched message to `each`
 * with the time it was published (its record's timestamp). It never resumes, so it commits no offsets: kafkajs commits after every batch,
 * which only spent the machine's CPU (~100 OffsetCommits a second at 150 requests/s). Resolves once it has joined
 * its group (from then on it reads what is published; `fromBeginning` reads what was before too).
 */
async function observer(
  run: Run,
  brokers: string[],
  name: string,
  topics: string[],
  fromBeginning: boolean,
  each: (value: Buffer | null, type: string, key: string, at: number) => void,
) {
  const logger = createLogger({ service: 'bench', level: 'warn' });
  const kafka = createKafka({ brokers, clientId: name, logger });
  // Batches gathered at the broker (a fetch returns after 100 ms unless a megabyte waits): the times reported are the
  // records' own (below), so the observer's fetch cadence does not enter them, and it no longer asks for every few
  // records as they come (its fetch requests' writes were a third of this process's CPU at 500 requests/s).
  const consumer = kafka.consumer({
    groupId: `${run.ns}.${name}`,
    maxWaitTimeInMs: 100,
    minBytes: 1024 * 1024,
  });
  await consumer.connect();
  await consumer.subscribe({ topics, fromBeginning });
  const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
  await consumer.run({
    partitionsConsumedConcurrently: 4,
    autoCommit: false,
    eachBatch: async ({ batch }) => {
      // When the event was published: its record's timestamp, set by the relay's producer as it sent it (Kafka's
      // CreateTime, wall clock of this same machine), on the clock of performance.now(). The moment this consumer
      // got round to the batch was later by its fetch wait and by however long a busy machine kept it waiting.
      for (const m of batch.messages)
        each(
          m.value,
          m.headers?.['event-type']?.toString() ?? '',
          m.key?.toString() ?? '',
          Number(m.timestamp) - performance.timeOrigin,
        );
    },
  });
  await joined;
  return consumer;
}

/**
 * Completions (and publications) on the notices topic, for every phase. Stages of sampled notices are read by a
 * second consumer during the hold only ({@link observeStages}): reading the request, progress and answer topics
 * decodes every request event, full sealed notices included, and took a tenth of a core from the two the hub runs
 * on through every step, where no stage is reported.
 */
function observe(run: Run, brokers: string[]) {
  const [COMPLETED, ISSUED] = [eventTypeOf('noticeCompleted'), eventTypeOf('noticeIssued')];
  return observer(
    run,
    brokers,
    'bench-observer',
    NOTICE_TOPIC_KEYS.map((k) => topicName(k, `${run.ns}.`)),
    true,
    (value, type, id, at) => {
      let trace = run.traces.get(id);
      if (type === COMPLETED) {
        const env = decodeEnvelope(value!);
        if (env.payload?.$case !== 'noticeCompleted') return;
        if (!trace) {
          // Completed before its filer read the reply: kept until the reply lands.
          trace = { due: at };
          run.traces.set(id, trace);
        }
        if (trace.completed !== undefined) return;
        trace.completed = at;
        trace.requests = env.payload.value.requests;
        run.complete(trace);
      } else if (type === ISSUED && trace) trace.published ??= at;
    },
  );
}

/**
 * The stages of each request of the sampled notices (dispatched, delivered, answered), seen on the request,
 * progress and answer topics from the moment this consumer has joined its group: notices are sampled only once
 * it has (`run.tracing`), so none of their events went by before it listened.
 */
async function observeStages(run: Run, brokers: string[]) {
  // Stages by the event-type header (no decoding of events of notices not traced).
  const stageOfType: Record<string, Stage> = {
    [eventTypeOf('requestDispatched')]: 'dispatched',
    [eventTypeOf('requestDelivered')]: 'delivered',
    // The mock agencies acknowledge with the lease: the acknowledgement is the delivery's only event.
    [eventTypeOf('requestAcknowledged')]: 'delivered',
    [eventTypeOf('requestAnswered')]: 'answered',
  };
  const topics = [
    topicName('progress', `${run.ns}.`),
    ...ANSWER_TOPIC_KEYS.map((k) => topicName(k, `${run.ns}.`)),
    ...REQUEST_TOPIC_KEYS.map((k) => topicName(k, `${run.ns}.`)),
  ];
  const consumer = await observer(run, brokers, 'bench-stages', topics, false, (bytes, type, id, at) => {
    const stage = stageOfType[type];
    const trace = run.traces.get(id);
    if (!trace?.perRequest || !stage) return;
    const env = decodeEnvelope(bytes!);
    const value = env.payload?.value as { requestId?: string } | undefined;
    if (!value?.requestId) return;
    const r = trace.perRequest.get(value.requestId) ?? {};
    r[stage] ??= at;
    trace.perRequest.set(value.requestId, r);
  });
  // Offsets are fixed at the join (the end of each partition then); a second for them to be fetched from.
  await sleep(1000);
  run.tracing = true;
  return consumer;
}

function hubEnvOf(ns: string): Record<string, string | undefined> {
  return {
    ...process.env,
    HUB_NAMESPACE: ns,
    HUB_TOPIC_PREFIX: `${ns}.`,
    LOG_LEVEL: 'warn',
    SIM_BATCH: '500',
    SIM_SEED: process.env.SIM_SEED ?? '2026',
    QUERY_REUSE_WINDOW_HOURS: '0', // every inquiry really goes to every agency
    GATEWAY_RATE_LIMIT_PER_MINUTE: '10000000',
    // Interception checks are traffic of their own (--workload interception), not part of an idle or inquiry hub.
    AGENCY_SIM_INTERCEPTION_CHECKS_PER_S: process.env.AGENCY_SIM_INTERCEPTION_CHECKS_PER_S ?? '0',
  };
}

async function runMode(
  mode: 'one' | 'separate',
  o: OpenLoopOptions,
  brokers: string[],
): Promise<ModeFigures> {
  const ns = `bench${Math.random().toString(16).slice(2, 8)}`;
  console.log(
    `bench: starting the hub (${mode === 'one' ? `one process${(process.env.HUB_THREADS ?? 'adapters') === 'none' ? '' : ', the adapters on a worker thread of it (HUB_THREADS)'}` : 'one process per service'}, namespace ${ns}) …`,
  );
  let loopTrace: string | undefined;
  if (o.traceLoop) {
    mkdirSync(o.outDir, { recursive: true });
    loopTrace = `${o.outDir}/loop-trace-${ns}.jsonl`;
  }
  const hub: RunningProcesses = await startProcesses(
    { ...hubEnvOf(ns), ...(loopTrace ? { HUB_LOOP_TRACE: loopTrace } : {}) },
    {
      oneProcess: mode === 'one',
      agenciesApart: o.agenciesApart,
    },
  );
  const pids = [...hub.processes].map(([name, p]) => [name, p.child.pid!] as const);
  const SIM = 'agency-sim';
  const cpu = () => pids.reduce((s, [name, pid]) => s + (name === SIM ? 0 : cpuSecondsOf(pid)), 0);
  const agenciesCpu = () => pids.reduce((s, [name, pid]) => s + (name === SIM ? cpuSecondsOf(pid) : 0), 0);
  const cpuByProcess = (): Record<string, number> =>
    Object.fromEntries(pids.filter(([name]) => name !== SIM).map(([name, pid]) => [name, cpuSecondsOf(pid)]));
  const gateway = new Pool(hub.gateway, { connections: 32 });
  const run = new Run(ns, gateway, o, 0);
  const consumer = await observe(run, brokers);
  let stageObserver: Awaited<ReturnType<typeof observeStages>> | undefined;
  const vacuum = o.vacuumStandIn
    ? await startVacuumStandIn(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test', ns)
    : undefined;
  if (vacuum?.running)
    console.log(
      "bench: the server's autovacuum is off: the bench vacuums and analyzes the run's tables as autovacuum would (--vacuum off: not)",
    );
  const figures: ModeFigures = {
    mode,
    agencies: mode === 'one' && !o.agenciesApart ? 'in' : 'apart',
    vacuumStandIn: { running: false, tablesVacuumed: 0 },
    idleCpuPercent: 0,
    idleAgenciesCpuPercent: 0,
    idleCpuByProcess: {},
    steps: [],
    sustained: 0,
    timeline: [],
  };
  try {
    // One inquiry first: how many agency requests each makes, and everything warmed up.
    run.perNotice = 1;
    await run.file(performance.now());
    const first = [...run.traces.values()][0]!;
    const started = performance.now();
    while (first.completed === undefined) {
      if (performance.now() - started > 60_000) throw new Error('the first inquiry did not complete in 60 s');
      await sleep(50);
    }
    run.perNotice = first.requests ?? 1;
    run.submittedRequests = run.completedRequests = 0;
    console.log(
      `bench: one inquiry makes ${run.perNotice} agency requests; settling ${o.idleSettleSeconds} s, then idle for ${o.idleSeconds} s …`,
    );

    // Idle: nothing filed; every service and agency-sim connected and waiting, start-up work done.
    await sleep(o.idleSettleSeconds * 1000);
    const idle0 = pids.map(([name, pid]) => [name, cpuSecondsOf(pid)] as const);
    const idleStart = performance.now();
    await sleep(o.idleSeconds * 1000);
    const idleSeconds = (performance.now() - idleStart) / 1000;
    for (const [name, before] of idle0) {
      const pid = pids.find(([n]) => n === name)![1];
      figures.idleCpuByProcess[name] = ((cpuSecondsOf(pid) - before) / idleSeconds) * 100;
    }
    const idleOf = (agencies: boolean) =>
      Object.entries(figures.idleCpuByProcess)
        .filter(([name]) => (name === SIM) === agencies)
        .reduce((s, [, v]) => s + v, 0);
    figures.idleCpuPercent = idleOf(false);
    figures.idleAgenciesCpuPercent = idleOf(true);
    console.log(
      `bench: idle, the hub used ${figures.idleCpuPercent.toFixed(1)} % of one core${figures.agencies === 'in' ? ' (the mock agencies inside it)' : `, the mock agencies ${figures.idleAgenciesCpuPercent.toFixed(1)} %`}`,
    );

    const phase = async (label: string, rate: number, seconds: number) => {
      const noticeRate = rate / run.perNotice;
      const t0 = performance.now();
      const cpu0 = cpu();
      const agencies0 = agenciesCpu();
      const byProcess0 = cpuByProcess();
      const calls0 = await agencyCallsOf(hub.url('agency-sim'));
      const completed0 = run.completedRequests;
      const machine0 = machineSnapshot();
      const errors0 = run.errors;
      let filed = 0;
      const total = Math.round(noticeRate * seconds);
      const backlog: [number, number][] = [];
      let lastSecond = t0;
      let lastCompleted = run.completedRequests;
      const from = figures.timeline.length;
      while (filed < total || performance.now() - t0 < seconds * 1000) {
        const now = performance.now();
        const due = Math.min(total, Math.floor(((now - t0) / 1000) * noticeRate) + 1);
        while (filed < due) {
          void run.file(t0 + (filed / noticeRate) * 1000);
          filed += 1;
        }
        if (now - lastSecond >= 1000) {
          const lat = run.second.sort((a, b) => a - b);
          run.second = [];
          const s: Second = {
            t: Math.round((now - t0) / 100) / 10,
            phase: label,
            offered: rate,
            completedRequests: (run.completedRequests - lastCompleted) / ((now - lastSecond) / 1000),
            backlog: run.submittedRequests - run.completedRequests,
            p50: percentile(lat, 50),
            p99: percentile(lat, 99),
          };
          figures.timeline.push(s);
          backlog.push([(now - t0) / 1000, s.backlog]);
          lastSecond = now;
          lastCompleted = run.completedRequests;
          if (figures.timeline.length % 5 === 0)
            console.log(
              `bench: ${label} ${rate} req/s, ${s.t.toFixed(0)}/${seconds} s: ${s.completedRequests.toFixed(0)} completed/s, backlog ${s.backlog}, p50 ${s.p50.toFixed(0)} ms, p99 ${s.p99.toFixed(0)} ms`,
            );
        }
        await sleep(Math.max(1, Math.min(20, t0 + ((filed + 1) / noticeRate) * 1000 - performance.now())));
      }
      const elapsed = (performance.now() - t0) / 1000;
      const tail = backlog.filter(([t]) => t >= seconds / 3);
      const tailSeconds = figures.timeline.slice(from).filter((s) => s.t >= seconds / 3);
      const completedPerSecond =
        tailSeconds.reduce((sum, s) => sum + s.completedRequests, 0) / Math.max(1, tailSeconds.length);
      const backlogSlope = slope(tail);
      const backlogMean = tail.reduce((sum, [, b]) => sum + b, 0) / Math.max(1, tail.length);
      return {
        offered: rate,
        completedPerSecond,
        backlogSlope,
        backlogMean,
        errors: run.errors - errors0,
        // Flat: the backlog grows by at most 2 % of the offered rate per second (at a low rate, by at most two
        // notices over the part of the step measured: one late notice is not a growing backlog), and completions
        // keep up; the backlog is at most a second of arrivals (a notice's requests at the least).
        sustained:
          run.errors === errors0 &&
          backlogSlope <= Math.max(0.02 * rate, (2 * run.perNotice) / ((seconds * 2) / 3)) &&
          backlogMean <= Math.max(rate, run.perNotice) &&
          completedPerSecond >= 0.95 * rate,
        cpuPercent: ((cpu() - cpu0) / elapsed) * 100,
        agenciesCpuPercent: ((agenciesCpu() - agencies0) / elapsed) * 100,
        cpuByProcess: Object.fromEntries(
          Object.entries(cpuByProcess()).map(([name, s]) => [
            name,
            ((s - (byProcess0[name] ?? 0)) / elapsed) * 100,
          ]),
        ),
        machine: await machineBetween(machine0, completedPerSecond),
        agencyCalls: callsBetween(
          calls0,
          await agencyCallsOf(hub.url('agency-sim')),
          run.completedRequests - completed0,
        ),
      };
    };

    const drain = async () => {
      const until = performance.now() + 180_000;
      while (run.submittedRequests > run.completedRequests && performance.now() < until) await sleep(200);
      return run.submittedRequests <= run.completedRequests;
    };

    if (o.warmupSeconds > 0 && o.rates.length > 0) {
      console.log(`bench: warming up at ${o.rates[0]} req/s for ${o.warmupSeconds} s (not measured) …`);
      await phase('warm-up', o.rates[0]!, o.warmupSeconds);
      await drain();
    }
    for (const rate of o.rates) {
      const step = await phase('step', rate, o.stepSeconds);
      figures.steps.push(step);
      console.log(
        `bench: step ${rate} req/s: ${step.completedPerSecond.toFixed(0)} completed/s, backlog slope ${step.backlogSlope.toFixed(1)}/s, mean ${step.backlogMean.toFixed(0)}, errors ${step.errors}, hub CPU ${step.cpuPercent.toFixed(0)} % (agencies ${step.agenciesCpuPercent.toFixed(0)} %, PostgreSQL ${step.machine.postgresPercent.toFixed(0)} %, Kafka ${step.machine.kafkaPercent.toFixed(0)} %, machine ${step.machine.busyPercent.toFixed(0)} % of one core: ${step.machine.usPerRequest.toFixed(0)} µs per request) → ${step.sustained ? 'sustained' : 'NOT sustained'}`,
      );
      console.log(`bench:   PostgreSQL by client, % of one core: ${byClientText(step.machine)}`);
      if (mode === 'separate')
        console.log(`bench:   hub processes, % of one core: ${shareText(step.cpuByProcess)}`);
      if (step.agencyCalls)
        console.log(
          `bench:   mock agencies' signed calls per agency request: ${step.agencyCalls.perRequest.toFixed(2)} (${step.agencyCalls.inbox} leases, ${step.agencyCalls.answers} answer calls, of which ${step.agencyCalls.leasedWithAnswers} brought the next batch)`,
        );
      const drained = await drain();
      if (!step.sustained || !drained) break;
      figures.sustained = rate;
    }
    await drain();

    if (figures.sustained > 0 && o.holdSeconds > 0) {
      const rate = Math.round(figures.sustained * 0.7);
      stageObserver = await observeStages(run, brokers);
      const firstTrace = run.traces.size;
      const holdFrom = performance.now();
      const holdFromWall = Date.now();
      const hold = await phase('hold', rate, o.holdSeconds);
      const holdToWall = Date.now();
      await drain();
      const held = [...run.traces.values()].slice(firstTrace).filter((t) => t.due >= holdFrom);
      const perRequest: number[] = [];
      const stages = Object.fromEntries(STAGES.map((s) => [s, [] as number[]])) as Record<Stage, number[]>;
      for (const t of held) {
        if (t.completed === undefined) continue;
        for (let k = 0; k < (t.requests ?? run.perNotice); k++) perRequest.push(t.completed - t.due);
        if (!t.perRequest) continue;
        for (const r of t.perRequest.values()) {
          if (t.stored !== undefined) stages.stored.push(t.stored - t.due);
          if (t.published !== undefined) stages.published.push(t.published - t.due);
          for (const s of ['dispatched', 'delivered', 'answered'] as const)
            if (r[s] !== undefined) stages[s].push(r[s]! - t.due);
          stages.completed.push(t.completed - t.due);
        }
      }
      perRequest.sort((a, b) => a - b);
      const pcts = (xs: number[]) => {
        xs.sort((a, b) => a - b);
        return { p50: percentile(xs, 50), p95: percentile(xs, 95), p99: percentile(xs, 99) };
      };
      figures.hold = {
        offered: rate,
        completedPerSecond: hold.completedPerSecond,
        cpuPercent: hold.cpuPercent,
        cpuByProcess: hold.cpuByProcess,
        cpuUsPerRequest: ((hold.cpuPercent / 100) * 1e6) / Math.max(1, hold.completedPerSecond),
        machine: hold.machine,
        latencyMs: { ...pcts(perRequest), max: perRequest.at(-1) ?? Number.NaN },
        stagesMs: Object.fromEntries(STAGES.map((s) => [s, pcts(stages[s])])) as Record<
          Stage,
          ReturnType<typeof pcts>
        >,
        notices: held.length,
      };
      if (loopTrace && existsSync(loopTrace))
        figures.hold.loop = summarizeLoopTrace(
          parseLoopTrace(readFileSync(loopTrace, 'utf8')),
          holdFromWall + 1000,
          holdToWall,
        ).filter((l) => l.process !== 'agency-sim');
    }
  } catch (err) {
    for (const [name, p] of hub.processes)
      console.error(`--- ${name} (last output) ---\n${p.output.join('').split('\n').slice(-30).join('\n')}`);
    throw err;
  } finally {
    if (vacuum) {
      figures.vacuumStandIn = { running: vacuum.running, tablesVacuumed: vacuum.vacuumed() };
      await vacuum.stop();
    }
    await consumer.disconnect();
    await stageObserver?.disconnect();
    await gateway.close();
    await hub.stop();
  }
  return figures;
}

function plot(mode: ModeFigures): string {
  const W = 720;
  const H = 200;
  const pad = 40;
  const tl = mode.timeline;
  const n = Math.max(1, tl.length - 1);
  const x = (i: number) => pad + (i / n) * (W - 2 * pad);
  const panel = (top: number, ys: number[][], colours: string[], label: string, log = false) => {
    const max = Math.max(1, ...ys.flat().filter(Number.isFinite));
    const f = (v: number) => (log ? Math.log10(Math.max(1, v)) / Math.log10(Math.max(10, max)) : v / max);
    const y = (v: number) => top + H - pad / 2 - f(v) * (H - pad);
    const lines = ys
      .map(
        (series, k) =>
          `<polyline fill="none" stroke="${colours[k]}" stroke-width="1.5" points="${series
            .map((v, i) => (Number.isFinite(v) ? `${x(i).toFixed(1)},${y(v).toFixed(1)}` : ''))
            .filter(Boolean)
            .join(' ')}"/>`,
      )
      .join('');
    return `<text x="${pad}" y="${top + 14}" font-size="12">${label} (max ${max.toFixed(0)})</text>${lines}<line x1="${pad}" y1="${top + H - pad / 2}" x2="${W - pad}" y2="${top + H - pad / 2}" stroke="#999"/>`;
  };
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${2 * H + 20}" font-family="sans-serif">
<rect width="100%" height="100%" fill="white"/>
${panel(0, [tl.map((s) => s.offered), tl.map((s) => s.completedRequests)], ['#999', '#1f77b4'], `${mode.mode}: agency requests/s, offered (grey) and completed (blue), per second`)}
${panel(H + 20, [tl.map((s) => s.p50), tl.map((s) => s.p99)], ['#2ca02c', '#d62728'], 'submission → completion ms, p50 (green) and p99 (red), log scale', true)}
</svg>`;
}

export async function runOpenLoop(o: OpenLoopOptions): Promise<void> {
  const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
  const logger = createLogger({ service: 'bench', level: 'warn' });
  console.log('bench: baselines on this machine (raw kafkajs round trips, PostgreSQL commits) …');
  const kafkaRoundTripsPerSecond = await measureKafkaRoundTrips(brokers, logger);
  const postgresCommitsPerSecond = await measurePostgresCommits(
    process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
  );
  console.log(
    `bench: kafkajs round trips ${kafkaRoundTripsPerSecond.toFixed(0)}/s, PostgreSQL commits ${postgresCommitsPerSecond.toFixed(0)}/s`,
  );
  const modes: ModeFigures[] = [];
  for (const mode of o.modes) modes.push(await runMode(mode, o, brokers));

  console.log('\nopen loop, inquiries to every agency kind, mock agencies answering at once:');
  for (const m of modes) {
    console.log(
      `\n[${m.mode === 'one' ? 'one process' : 'separate processes'}${m.agencies === 'in' ? ', mock agencies inside it' : ', mock agencies in their own process'}] idle hub CPU ${m.idleCpuPercent.toFixed(1)} % of one core${m.agencies === 'apart' ? ` (mock agencies ${m.idleAgenciesCpuPercent.toFixed(1)} %)` : ''}${o.traceLoop ? " (with --trace-loop's 1 ms timer in every process: not the hub's idle cost)" : ''}`,
    );
    console.log(
      ' offered req/s  completed/s  backlog slope/s  backlog mean  errors  hub CPU %  agencies CPU %  PostgreSQL %  Kafka %  machine %  machine µs/req  sustained',
    );
    for (const s of m.steps)
      console.log(
        `${String(s.offered).padStart(14)}${s.completedPerSecond.toFixed(0).padStart(13)}${s.backlogSlope.toFixed(1).padStart(17)}${s.backlogMean.toFixed(0).padStart(14)}${String(s.errors).padStart(8)}${s.cpuPercent.toFixed(0).padStart(11)}${s.agenciesCpuPercent.toFixed(0).padStart(16)}${s.machine.postgresPercent.toFixed(0).padStart(14)}${s.machine.kafkaPercent.toFixed(0).padStart(9)}${s.machine.busyPercent.toFixed(0).padStart(11)}${s.machine.usPerRequest.toFixed(0).padStart(16)}  ${s.sustained ? 'yes' : 'no'}`,
      );
    console.log(
      `sustained: ${m.sustained} agency requests/s = ${((m.sustained / kafkaRoundTripsPerSecond) * 100).toFixed(1)} % of the raw kafkajs round-trip rate, ${(m.sustained / postgresCommitsPerSecond).toFixed(2)}× PostgreSQL's commit rate`,
    );
    if (!m.hold) {
      console.log(
        m.sustained > 0
          ? 'at 70 %: not measured (--hold-seconds 0)'
          : 'at 70 %: not measured (no rate was sustained)',
      );
    } else if (m.hold.notices === 0 || Number.isNaN(m.hold.latencyMs.p50)) {
      console.log(`at 70 % (${m.hold.offered} req/s): no inquiry filed in the hold completed`);
    } else {
      const h = m.hold;
      console.log(
        `at 70 % (${h.offered} req/s, ${h.notices} inquiries): submission → completion per agency request p50 ${h.latencyMs.p50.toFixed(0)} ms, p95 ${h.latencyMs.p95.toFixed(0)} ms, p99 ${h.latencyMs.p99.toFixed(0)} ms; hub CPU ${h.cpuPercent.toFixed(0)} % (${h.cpuUsPerRequest.toFixed(0)} µs per request); the machine ${h.machine.busyPercent.toFixed(0)} % of one core (${h.machine.usPerRequest.toFixed(0)} µs per request; PostgreSQL ${h.machine.postgresPercent.toFixed(0)} %, Kafka ${h.machine.kafkaPercent.toFixed(0)} %, this benchmark ${h.machine.benchPercent.toFixed(0)} %)`,
      );
      console.log(`  PostgreSQL by client, % of one core: ${byClientText(h.machine)}`);
      if (m.mode === 'separate') console.log(`  hub processes, % of one core: ${shareText(h.cpuByProcess)}`);
      console.log('  stage (ms from submission)   p50     p95     p99');
      for (const s of STAGES)
        console.log(
          `  ${s.padEnd(26)}${h.stagesMs[s].p50.toFixed(0).padStart(6)}${h.stagesMs[s].p95.toFixed(0).padStart(8)}${h.stagesMs[s].p99.toFixed(0).padStart(8)}`,
        );
      if (h.loop?.length)
        console.log(
          `  event loop over the hold (--trace-loop; the median second's delay of a 1 ms timer, the GC per second):\n${h.loop
            .slice(0, 4)
            .map(
              (l) =>
                `    ${l.process}: delay p50 ${l.delayP50Ms.toFixed(1)} ms, p99 ${l.delayP99Ms.toFixed(1)} ms, worst ${l.delayMaxMs.toFixed(0)} ms; GC ${l.gcMsPerSecond.toFixed(0)} ms/s (${(l.gcShare * 100).toFixed(1)} % of the time), longest pause ${l.gcMaxMs.toFixed(0)} ms`,
            )
            .join('\n')}`,
        );
    }
  }
  if (modes.length === 2 && modes[0]!.sustained > 0)
    console.log(
      `\nseparate processes sustain ${((modes[1]!.sustained / modes[0]!.sustained) * 100).toFixed(0)} % of the one-process rate`,
    );

  mkdirSync(o.outDir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const json = `${o.outDir}/inquiry-open-loop-${stamp}.json`;
  writeFileSync(
    json,
    `${JSON.stringify({ at: new Date().toISOString(), options: o, kafkaRoundTripsPerSecond, postgresCommitsPerSecond, modes }, null, 2)}\n`,
  );
  for (const m of modes) writeFileSync(`${o.outDir}/inquiry-open-loop-${stamp}-${m.mode}.svg`, plot(m));
  console.log(`\nbench: results in ${json} (and an SVG plot per mode beside it)`);
}
