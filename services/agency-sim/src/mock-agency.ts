import { randomUUID } from 'node:crypto';
import { signAgencyRequest } from '@hub/agency-kit';
import type { Logger } from '@hub/service-kit';
import { type Dispatcher, getGlobalDispatcher } from 'undici';
import type { SimAgency } from './config.js';
import { HoldReporter } from './hold-reporter.js';
import type { NotedHoldChange } from './ledgers/hold-changes.js';

export interface InboxItem {
  id: string;
  measure: string;
  caseNo: string;
  court: { code?: string };
  debtor: { kind?: string; idNumber?: string; creditCode?: string };
  params: { amountFen?: number; termDays?: number; accountNo?: string; unitNo?: string; plate?: string };
}

export type AgencyAnswer =
  | { outcome: 'done' | 'partial'; result: unknown; reason?: string }
  | { outcome: 'cannot-assist' | 'refused'; reason: string };

/** How often a lease call whose reply did not come is sent again before it is given up. */
const MAX_REPEATS = 5;

/** Seconds an answers call waits for the next batch (`lease=true`): short, since a stop lets it finish. */
const ANSWER_LEASE_WAIT_S = 1;

export interface MockAgencyOptions {
  agency: SimAgency;
  /** The back office's decision for one request (ledgers, registers: see agencies/). */
  answer: (item: InboxItem) => AgencyAnswer;
  /** What happened to holds in the institution's books since last asked (reported to the hub). */
  holdChanges?: () => NotedHoldChange[];
  /** Between empty polls, when not long-polling (leaseWaitS 0) or while hold-change reports wait to be retried. */
  pollMs: number;
  /** Long poll: seconds each lease waits for work (GET /v1/agency/inbox?wait=N); 0 polls every pollMs. */
  leaseWaitS: number;
  /** The HTTP client's connection pool (undici): a long poll holds a connection for up to leaseWaitS. */
  http?: Dispatcher;
  batch: number;
  latencyMs: number;
  jitterMs: number;
  refusalRate: number;
  errorRate: number;
  silent: boolean;
  down: boolean;
  logger: Logger;
}

/**
 * One partner's back office, driving its adapter's REST API exactly as a real partner would: pull the
 * inbox, acknowledge (签收) what it took, look the debtor up in its own records, answer — with the
 * latency, errors, refusals, silence and downtime it is told to have — and report, on its own
 * initiative, what happened to holds in its books (a queued hold promoted, moved up, lapsed, …).
 */
export class MockAgency {
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private readonly given = new Map<string, AgencyAnswer>();
  /** Aborts the waiting lease at stop: the loop must not hold a stop for up to leaseWaitS. */
  private readonly stopping = new AbortController();
  /** The batch leased by the last answers call (`lease=true`), to be answered next round without another call. */
  private carried: InboxItem[] | undefined;
  readonly reporter: HoldReporter;
  answered = 0;
  /** Signed calls that took or answered requests, and the batches that came back with answers (`lease=true`). */
  readonly calls = { inbox: 0, answers: 0, leasedWithAnswers: 0, repeated: 0 };
  /**
   * A lease call (the inbox, or answers with `lease=true`) whose reply did not come: the next round sends it again
   * as it was, with its Idempotency-Key, before anything else.
   */
  private unanswered:
    | { method: 'GET' | 'POST'; path: string; body?: { answers: unknown[] }; key: string; repeats: number }
    | undefined;

  constructor(private readonly o: MockAgencyOptions) {
    this.reporter = new HoldReporter(o.agency.institution, o.logger, o.batch);
  }

  start(): void {
    if (this.o.down) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.stopping.abort();
    this.wake?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      try {
        const { taken, waited } = await this.round();
        failures = 0;
        // A full batch: more may be waiting, lease again at once. A lease that waited (long poll) returned
        // because work came or its wait was over: lease again at once too; the next one waits.
        if (taken < this.o.batch && !waited && !this.carried) await this.pause(this.o.pollMs);
      } catch (err) {
        if (!this.running) break;
        failures += 1;
        if (failures === 1 || failures % 50 === 0) {
          this.o.logger.warn(
            { err: (err as Error).message, institution: this.o.agency.institution, failures },
            'mock agency round failed',
          );
        }
        await this.pause(Math.min(5000, this.o.pollMs * 2 ** Math.min(failures, 5)));
      }
    }
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(t);
        resolve();
      };
    });
  }

  /**
   * One pull-ack-answer round, then the hold-change reports it led to; returns how many requests it took and
   * whether its lease waited for work. While reports wait to be retried it does not wait: they go out on the
   * poll interval, not after the next request.
   */
  async round(): Promise<{ taken: number; waited: boolean }> {
    const wait = this.reporter.pending > 0 ? 0 : this.o.leaseWaitS;
    const taken = await this.answerRound(wait);
    if (!this.o.silent && this.o.holdChanges) {
      // After the answers: a report may be about a hold placed by an answer of this very round.
      this.reporter.add(this.o.holdChanges());
      await this.reporter.flush((method, path, body) => this.call(method, path, body));
    }
    return { taken, waited: wait > 0 };
  }

  private async answerRound(wait: number): Promise<number> {
    // A silent institution takes requests but never acknowledges nor answers them (to show breaches); the others
    // acknowledge (签收) what they take with the lease itself: one call fewer per batch.
    const ack = this.o.silent ? '' : '&acknowledge=true';
    const leaseQuery = (w: number) =>
      `limit=${this.o.batch}&leaseSeconds=60${w > 0 ? `&wait=${w}` : ''}${ack}`;
    let requests = this.carried;
    this.carried = undefined;
    if (!requests && this.unanswered) {
      // The last lease call's reply never came (a dropped connection, an adapter restarting): the same call again,
      // key and all. Its answers are stored once whatever happened, and what it leased comes back at once
      // instead of staying hidden until its lease ends.
      const again = this.unanswered;
      // A call refused again and again is given up (its lease then ends by itself), not repeated forever.
      again.repeats += 1;
      if (again.repeats >= MAX_REPEATS) this.unanswered = undefined;
      const res = await this.call<{ requests?: InboxItem[] }>(
        again.method,
        again.path,
        again.body,
        again.method === 'GET' ? this.stopping.signal : undefined,
        again.key,
      );
      this.unanswered = undefined;
      this.calls.repeated += 1;
      if (again.body) this.answered += again.body.answers.length;
      requests = res.requests ?? [];
    }
    if (!requests) {
      this.calls.inbox += 1;
      const path = `/v1/agency/inbox?${leaseQuery(wait)}`;
      this.unanswered = { method: 'GET', path, key: randomUUID(), repeats: 0 };
      ({ requests } = await this.call<{ requests: InboxItem[] }>(
        'GET',
        path,
        undefined,
        // Only a waiting lease is cut short at stop: answers in flight still complete.
        this.stopping.signal,
        this.unanswered.key,
      ));
      this.unanswered = undefined;
    }
    if (requests.length === 0 || this.o.silent) return requests.length;
    const think = this.o.latencyMs + Math.floor(Math.random() * this.o.jitterMs);
    if (think > 0) await new Promise((r) => setTimeout(r, think));
    const answers = requests.map((r) => this.answerFor(r));
    // The next batch comes back with the answers (`lease=true`): one call a round instead of two. That call is not
    // cut short at stop (its answers must complete), so it waits for work at most a second; an institution left
    // with nothing goes back to the long-waiting GET above. At stop it only answers.
    const path = this.running
      ? `/v1/agency/answers?lease=true&${leaseQuery(Math.min(wait, ANSWER_LEASE_WAIT_S))}`
      : '/v1/agency/answers';
    this.calls.answers += 1;
    // With a lease, kept until its reply comes: a lost reply is repeated next round with the same key.
    const key = this.running ? randomUUID() : undefined;
    if (key) this.unanswered = { method: 'POST', path, body: { answers }, key, repeats: 0 };
    const answered = await this.call<{ requests?: InboxItem[] }>('POST', path, { answers }, undefined, key);
    this.unanswered = undefined;
    this.answered += answers.length;
    if (answered.requests && answered.requests.length > 0) {
      this.carried = answered.requests;
      this.calls.leasedWithAnswers += 1;
    }
    return requests.length;
  }

  /**
   * The answer to one request, decided once: a request that comes back (its answer was lost on the way, its
   * lease ran out, the hub delivered it again) gets the same answer, a simulated refusal included. The
   * request id is the partner's idempotency key, so money its books moved for a deduction is never moved
   * again, nor reported refused the second time.
   */
  answerFor(r: InboxItem): AgencyAnswer & { requestId: string } {
    let given = this.given.get(r.id);
    if (!given) {
      given =
        this.o.refusalRate > 0 && Math.random() < this.o.refusalRate
          ? { outcome: 'refused', reason: 'simulated refusal (SIM_REFUSAL_RATE)' }
          : this.o.answer(r);
      this.given.set(r.id, given);
    }
    return { requestId: r.id, ...given };
  }

  private async call<T>(
    method: string,
    path: string,
    body?: unknown,
    signal?: AbortSignal,
    idempotencyKey?: string,
  ): Promise<T> {
    if (this.o.errorRate > 0 && Math.random() < this.o.errorRate) {
      throw new Error('simulated partner failure (SIM_ERROR_RATE)');
    }
    const { institution, secret, adapterUrl } = this.o.agency;
    const text0 = body ? JSON.stringify(body) : '';
    const signed = signAgencyRequest({ institution, secret, method, path, body: text0 });
    const url = new URL(adapterUrl + path);
    const res = await (this.o.http ?? getGlobalDispatcher()).request({
      origin: url.origin,
      path: url.pathname + url.search,
      method: method as Dispatcher.HttpMethod,
      headers: {
        ...signed,
        'x-agency-worker': `sim-${institution}`,
        ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      body: body ? text0 : null,
      ...(signal ? { signal } : {}),
    });
    const text = await res.body.text();
    if (res.statusCode >= 300) throw new Error(`${method} ${path}: ${res.statusCode} ${text.slice(0, 200)}`);
    return JSON.parse(text) as T;
  }
}
