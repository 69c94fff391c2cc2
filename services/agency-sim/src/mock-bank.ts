import { signAgencyRequest } from '@hub/agency-kit';
import type { Logger } from '@hub/service-kit';
import { accountsOf } from './ledger.js';

interface InboxItem {
  id: string;
  measure: string;
  debtor: { kind?: string; idNumber?: string; creditCode?: string };
}

export interface MockBankOptions {
  bank: string;
  key: string;
  adapterUrl: string;
  seed: number;
  pollMs: number;
  batch: number;
  latencyMs: number;
  refusalRate: number;
  silent: boolean;
  logger: Logger;
}

/**
 * One partner bank's back office, driving the bank adapter's REST API exactly as a real bank would:
 * pull the inbox, acknowledge (签收) what it took, look the debtor up in its ledger, answer.
 */
export class MockBank {
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  answered = 0;

  constructor(private readonly o: MockBankOptions) {}

  start(): void {
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      try {
        const handled = await this.round();
        failures = 0;
        if (handled < this.o.batch) await this.pause(this.o.pollMs);
      } catch (err) {
        failures += 1;
        if (failures === 1 || failures % 50 === 0) {
          this.o.logger.warn(
            { err: (err as Error).message, bank: this.o.bank, failures },
            'mock bank round failed',
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

  /** One pull-ack-answer round; returns how many requests it took. */
  async round(): Promise<number> {
    const { requests } = await this.call<{ requests: InboxItem[] }>(
      'GET',
      `/v1/agency/inbox?limit=${this.o.batch}&leaseSeconds=60`,
    );
    if (requests.length === 0 || this.o.silent) return requests.length;
    await this.call('POST', '/v1/agency/acks', { requestIds: requests.map((r) => r.id) });
    if (this.o.latencyMs > 0) await new Promise((r) => setTimeout(r, this.o.latencyMs));
    const answers = requests.map((r) => this.answerFor(r));
    await this.call('POST', '/v1/agency/answers', { answers });
    this.answered += answers.length;
    return requests.length;
  }

  private answerFor(r: InboxItem) {
    if (this.o.refusalRate > 0 && Math.random() < this.o.refusalRate) {
      return { requestId: r.id, outcome: 'refused', reason: 'simulated refusal (SIM_REFUSAL_RATE)' };
    }
    if (r.measure !== 'query') {
      return {
        requestId: r.id,
        outcome: 'cannot-assist',
        reason: `mock bank does not handle ${r.measure} yet`,
      };
    }
    const subject = r.debtor.idNumber || r.debtor.creditCode || '';
    const accounts = accountsOf(this.o.seed, this.o.bank, subject);
    return { requestId: r.id, outcome: 'done', result: { accounts } };
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const text0 = body ? JSON.stringify(body) : '';
    const signed = signAgencyRequest({ institution: this.o.bank, secret: this.o.key, method, path, body: text0 });
    const res = await fetch(this.o.adapterUrl + path, {
      method,
      headers: {
        ...signed,
        'x-agency-worker': `sim-${this.o.bank}`,
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      body: body ? text0 : undefined,
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 200)}`);
    return JSON.parse(text) as T;
  }
}
