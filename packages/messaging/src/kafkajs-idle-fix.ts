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
 * Applied to the exact version it was written for; any other version is left alone (and the test that
 * guards this fails, so a kafkajs upgrade is a decision, not an accident).
 */
const PATCHED = Symbol.for('hub.kafkajs.idleTimerFix');
const CHECK_PENDING_REQUESTS_INTERVAL = 10; // kafkajs's own constant

interface RequestQueueLike {
  pending: unknown[];
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  checkPendingRequests(): void;
}

export function applyKafkajsIdleFix(): boolean {
  const require = createRequire(import.meta.url);
  const { version } = require('kafkajs/package.json') as { version: string };
  if (version !== '2.2.4') return false;
  const RequestQueue = require('kafkajs/src/network/requestQueue/index.js') as {
    prototype: RequestQueueLike & { scheduleCheckPendingRequests(): void; [PATCHED]?: true };
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
  proto[PATCHED] = true;
  return true;
}
