import { createRequire } from 'node:module';

/**
 * kafkajs 2.2.4 (its last release) re-arms a timer in every connection's request queue even when nothing
 * waits to be sent: `scheduleCheckPendingRequests` computes `throttledUntil - Date.now()`, negative when not
 * throttled, and calls `setTimeout` with it whether or not a request is pending, so each connection checks
 * its empty queue every millisecond for as long as it lives (tulios/kafkajs#1556, #1604, #1704; the fix of
 * PR #1667, never released). With the forty-odd connections of the one-process hub that is the event loop
 * waking a thousand times a second with nothing to do, idle or not.
 *
 * The replacement keeps the library's behaviour for the case the timer exists for, requests waiting (client
 * throttling or too many in flight): it is armed then, at the throttle's end or in 10 ms as before. A request
 * that cannot go at once is queued and this is called (`push`), and every answered or timed-out request
 * checks the queue again (`fulfillRequest`, `timeout`), so no queued request is left without a check.
 *
 * Second, each connection's queue checks its requests for timeouts on an interval of its own (every 100 ms);
 * fifty-odd connections make that hundreds of wake-ups a second, never coalesced since each interval started at
 * its own moment. One interval now checks every live queue, as each did its own: a request past its timeout is
 * timed out, a queue whose connection is gone is destroyed. It runs every tenth of the shortest request timeout
 * of the queues it watches, between 100 ms and 1 s: with kafkajs's default of 30 s (the hub's), once a second,
 * so a request times out at most a second after its 30 s instead of 0.1 s, and a process with consumers (whose
 * fetches are always in flight) no longer wakes ten times a second for it.
 *
 * Applied to the exact version it was written for; any other version is left alone (and the test that
 * guards this fails, so a kafkajs upgrade is a decision, not an accident).
 */
const PATCHED = Symbol.for('hub.kafkajs.idleTimerFix');
const CHECK_PENDING_REQUESTS_INTERVAL = 10; // kafkajs's own constant

interface RequestQueueLike {
  pending: unknown[];
  inflight: Map<number, { sentAt: number; requestTimeout: number; timeoutRequest(): void }>;
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  enforceRequestTimeout: boolean;
  requestTimeout: number;
  isConnected(): boolean;
  checkPendingRequests(): void;
  destroy(): void;
}

/** Queues whose requests are checked for timeouts, and the one interval that checks them. */
const watched = new Set<RequestQueueLike>();
let ticker: NodeJS.Timeout | undefined;
let tickerMs = Number.POSITIVE_INFINITY;
/** How often a queue with this request timeout needs checking: a tenth of it, within 100 ms (kafkajs's) and 1 s. */
const timeoutCheckMs = (requestTimeout: number) =>
  Math.min(1000, Math.max(100, Math.floor(requestTimeout / 10)));

function checkTimeouts(): void {
  const now = Date.now();
  for (const queue of watched) {
    try {
      for (const request of queue.inflight.values())
        if (now - request.sentAt > request.requestTimeout) request.timeoutRequest();
      if (!queue.isConnected()) queue.destroy();
    } catch {
      // As with kafkajs's own interval, one queue's failure is its own: the others are still checked.
    }
  }
}

export function applyKafkajsIdleFix(): boolean {
  const require = createRequire(import.meta.url);
  const { version } = require('kafkajs/package.json') as { version: string };
  if (version !== '2.2.4') return false;
  const RequestQueue = require('kafkajs/src/network/requestQueue/index.js') as {
    prototype: RequestQueueLike & {
      scheduleCheckPendingRequests(): void;
      scheduleRequestTimeoutCheck(): void;
      [PATCHED]?: true;
    };
  };
  const proto = RequestQueue.prototype;
  if (proto[PATCHED]) return true;
  proto.scheduleCheckPendingRequests = function scheduleCheckPendingRequests(this: RequestQueueLike) {
    if (this.throttleCheckTimeoutId || this.pending.length === 0) return;
    const untilUnthrottled = this.throttledUntil - Date.now();
    this.throttleCheckTimeoutId = setTimeout(
      () => {
        this.throttleCheckTimeoutId = null;
        this.checkPendingRequests();
      },
      untilUnthrottled > 0 ? untilUnthrottled : CHECK_PENDING_REQUESTS_INTERVAL,
    );
  };
  const destroy = proto.destroy;
  proto.destroy = function (this: RequestQueueLike) {
    destroy.call(this);
    watched.delete(this);
    if (watched.size === 0 && ticker) {
      clearInterval(ticker);
      ticker = undefined;
      tickerMs = Number.POSITIVE_INFINITY;
    }
  };
  proto.scheduleRequestTimeoutCheck = function (this: RequestQueueLike) {
    if (!this.enforceRequestTimeout) return;
    this.destroy();
    watched.add(this);
    const everyMs = timeoutCheckMs(this.requestTimeout);
    if (ticker && everyMs >= tickerMs) return;
    if (ticker) clearInterval(ticker);
    tickerMs = everyMs;
    ticker = setInterval(checkTimeouts, everyMs);
  };
  proto[PATCHED] = true;
  return true;
}
