/**
 * The mock institutions' interception traffic: each checks IDs of its customers at a steady rate through
 * the signed interception API (as a bank does before a loan, a registration centre before a transfer) and,
 * when a subject is restricted, reports at a given probability that it blocked the business. An
 * unavailable projection (503 while the punishment service rebuilds it) is counted, never taken as "not
 * restricted" and never reported.
 */
import type { AgencyKind } from '@hub/domain';
import type { Logger } from '@hub/service-kit';
import type { SimAgency } from './config.js';
import {
  checkInterception,
  type InterceptionAction,
  InterceptionApiError,
  type InterceptionEntryView,
  reportInterception,
} from './interception-client.js';

export type CheckResult = 'restricted' | 'clear' | 'unavailable' | 'failed';

export interface InterceptionCounters {
  checked(institution: string, result: CheckResult): void;
  reported(institution: string, status: 'accepted' | 'duplicate' | 'failed'): void;
}

export interface InterceptionDriverOptions {
  agency: SimAgency;
  /** Checks per second of this institution; 0 = none. */
  checksPerSecond: number;
  /** Probability (0..1) that a restricted subject's business is blocked and reported. */
  reportRate: number;
  /** The next ID to check (a customer at the counter). */
  pickId: () => string;
  counters?: InterceptionCounters;
  logger: Pick<Logger, 'warn'>;
  random?: () => number;
  now?: () => Date;
}

/** What each kind of institution blocks when the subject is restricted. */
const ACTION_OF: Record<AgencyKind, InterceptionAction> = {
  bank: 'loan',
  'real-estate': 'property-transfer',
  'provident-fund': 'fund-withdrawal',
  'public-security': 'other',
};

export function actionFor(kind: AgencyKind, entry: InterceptionEntryView): InterceptionAction {
  if (entry.measure === 'restrict-exit') return 'exit';
  return ACTION_OF[kind];
}

export class InterceptionDriver {
  readonly counts: Record<CheckResult, number> = { restricted: 0, clear: 0, unavailable: 0, failed: 0 };
  reported = 0;
  private seq = 0;
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private readonly random: () => number;
  private readonly now: () => Date;

  constructor(private readonly o: InterceptionDriverOptions) {
    this.random = o.random ?? Math.random;
    this.now = o.now ?? (() => new Date());
  }

  get institution(): string {
    return this.o.agency.institution;
  }

  start(): void {
    if (this.o.checksPerSecond <= 0 || this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    const interval = 1000 / this.o.checksPerSecond;
    let next = performance.now();
    while (this.running) {
      await this.tick();
      next += interval;
      // Behind schedule (a slow adapter): carry on from now rather than bursting to catch up.
      const wait = next - performance.now();
      if (wait < -interval) next = performance.now();
      if (wait > 0) await this.pause(wait);
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

  /** One customer checked, and reported if restricted and the dice say so. Never throws. */
  async tick(): Promise<CheckResult> {
    const { agency } = this.o;
    const id = this.o.pickId();
    let result: CheckResult;
    let entry: InterceptionEntryView | undefined;
    try {
      const answer = await checkInterception(agency.adapterUrl, agency.institution, agency.secret, id);
      result = answer.restricted ? 'restricted' : 'clear';
      entry = answer.entries[0];
    } catch (err) {
      result = err instanceof InterceptionApiError && err.status === 503 ? 'unavailable' : 'failed';
      if (result === 'failed') this.warn(err, 'interception check failed');
    }
    this.counts[result] += 1;
    this.o.counters?.checked(agency.institution, result);
    if (result === 'restricted' && entry && this.random() < this.o.reportRate) await this.report(id, entry);
    return result;
  }

  private async report(id: string, entry: InterceptionEntryView): Promise<void> {
    const { agency } = this.o;
    this.seq += 1;
    try {
      const stored = await reportInterception(agency.adapterUrl, agency.institution, agency.secret, {
        reportRef: `SIM-${agency.institution}-${Date.now().toString(36)}-${this.seq}`,
        id,
        entryId: entry.entryId,
        action: actionFor(agency.kind, entry),
        occurredAt: this.now().toISOString(),
      });
      this.reported += 1;
      this.o.counters?.reported(agency.institution, stored.status);
    } catch (err) {
      this.o.counters?.reported(agency.institution, 'failed');
      this.warn(err, 'interception report failed');
    }
  }

  private warned = 0;
  private warn(err: unknown, what: string): void {
    this.warned += 1;
    if (this.warned === 1 || this.warned % 100 === 0) {
      const e = err as Error & { code?: string };
      this.o.logger.warn(
        { institution: this.o.agency.institution, err: e.code ?? e.message, times: this.warned },
        what,
      );
    }
  }
}
