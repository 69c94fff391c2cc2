/**
 * Idempotency per request id: agencies get redeliveries, and the same request applied twice must change
 * nothing the second time and return the same receipt. Failures are recorded too, so a redelivered request
 * that could not be carried out is not retried against a ledger that has changed since.
 */
export class ReceiptLog<T> {
  private readonly byRequest = new Map<string, T>();

  /** The receipt recorded for `requestId`, or else `apply()`'s, recorded (frozen) now. */
  once(requestId: string, apply: () => T): T {
    const seen = this.byRequest.get(requestId);
    if (seen !== undefined) return seen;
    const receipt = deepFreeze(apply());
    this.byRequest.set(requestId, receipt);
    return receipt;
  }

  has(requestId: string): boolean {
    return this.byRequest.has(requestId);
  }
}

export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** Registration numbers (回执号): institution, day of service, a per-ledger sequence. */
export class Numbering {
  private next = 0;

  constructor(private readonly institution: string) {}

  take(day: string, kind = ''): string {
    this.next += 1;
    return `${this.institution}-${kind}${day.replaceAll('-', '')}-${String(this.next).padStart(6, '0')}`;
  }
}
