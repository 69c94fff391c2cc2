/**
 * Which failures are worth retrying, decided by a table (graphile-worker's RETRYABLE_ERROR_CODES):
 * transient database and broker conditions are retried with backoff; anything else is treated as a
 * poison message and, after isolation, sent to the dead-letter topic.
 */
const RETRYABLE_PG_CODES = new Set([
  '40001', // serialization_failure
  '40P01', // deadlock_detected
  '55P03', // lock_not_available
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '53300', // too_many_connections
  '53400', // configuration_limit_exceeded
  '08000', // connection_exception
  '08001', // sqlclient_unable_to_establish_sqlconnection
  '08003', // connection_does_not_exist
  '08004', // sqlserver_rejected_establishment_of_sqlconnection
  '08006', // connection_failure
]);

const RETRYABLE_NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN']);

export function isRetryable(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as { code?: unknown; retriable?: unknown; name?: unknown; message?: unknown };
  if (typeof e.code === 'string' && (RETRYABLE_PG_CODES.has(e.code) || RETRYABLE_NODE_CODES.has(e.code)))
    return true;
  // kafkajs marks its own transient errors
  if (e.retriable === true) return true;
  // pg's pool reports a dropped connection without a code
  if (
    typeof e.message === 'string' &&
    /Connection terminated|timeout exceeded when trying to connect/.test(e.message)
  )
    return true;
  return false;
}

/** Exponential backoff with full jitter, capped. */
export function backoffMs(attempt: number, baseMs = 100, capMs = 5000): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** attempt);
  return Math.floor(Math.random() * ceiling) + 1;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A sleep that `wake()` ends at once (a stop must not sit out an idle pause); waking it after it ended does nothing. */
export function wakeableSleep(ms: number): { done: Promise<void>; wake: () => void } {
  let wake = () => {};
  const done = new Promise<void>((resolve) => {
    const timer = setTimeout(() => wake(), ms);
    wake = () => {
      clearTimeout(timer);
      resolve();
    };
  });
  return { done, wake };
}

/**
 * Run `fn` until it succeeds, backing off between tries of a retryable failure; throws the first
 * non-retryable failure, or the last retryable one after `maxAttempts` tries.
 */
export async function withRetries<T>(
  fn: () => Promise<T>,
  options: { maxAttempts: number; onRetry: (err: unknown, attempt: number) => void },
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!isRetryable(err) || attempt + 1 >= options.maxAttempts) throw err;
      options.onRetry(err, attempt);
      await sleep(backoffMs(attempt));
    }
  }
}

/**
 * Whether a failure is the data refusing to be stored or encoded, not the system failing: PostgreSQL's
 * data exceptions (class 22: a NUL in text, an escape jsonb refuses, a number out of range) and program
 * limits (class 54: an index row too large), and @bufbuild/protobuf's range checks (`invalid int32: …`).
 * Retrying such a write never helps; only the item carrying the value should fail.
 */
export function isRefusedData(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const { code, message } = err as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && /^(22|54)[0-9A-Z]{3}$/.test(code)) return true;
  if (err instanceof RangeError) return true;
  return typeof message === 'string' && /^invalid (u?int(32|64)|float|double)\b/.test(message);
}
