import { createRequire } from 'node:module';
import { createLogger } from '@hub/service-kit';
import { endpoints } from '@hub/testkit';
import { describe, expect, it, vi } from 'vitest';
import { applyKafkajsIdleFix, createKafka } from '../src/index.js';

const require = createRequire(import.meta.url);
type Queue = {
  pending: unknown[];
  inflight: Map<number, unknown>;
  throttledUntil: number;
  push(r: unknown): void;
  fulfillRequest(r: { correlationId: number; payload: unknown; size: number }): void;
  maybeThrottle(ms: number): void;
  destroy(): void;
  checkPendingRequests(): void;
};
const RequestQueue = require('kafkajs/src/network/requestQueue/index.js') as {
  new (o: Record<string, unknown>): Queue;
  prototype: Queue;
};
const logger = createLogger({ service: 'kafkajs-fix-test', level: 'silent' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('kafkajs idle timer fix (kafkajs#1556)', () => {
  it('applies to the pinned kafkajs (an upgrade must revisit it)', () => {
    expect(applyKafkajsIdleFix()).toBe(true);
  });

  it('an idle client on the real broker no longer checks its empty request queues every millisecond', async () => {
    applyKafkajsIdleFix();
    const kafka = createKafka({ brokers: endpoints().kafkaBrokers, clientId: 'idle-fix-test', logger });
    const producer = kafka.producer();
    const admin = kafka.admin();
    await Promise.all([producer.connect(), admin.connect()]);
    const original = RequestQueue.prototype.checkPendingRequests;
    let checks = 0;
    RequestQueue.prototype.checkPendingRequests = function (this: Queue) {
      checks += 1;
      return original.call(this);
    };
    try {
      await admin.listTopics(); // traffic on both connections, then nothing
      await sleep(100);
      checks = 0;
      await sleep(1000);
      // Unpatched: about a thousand a second per connection. Patched: none without traffic.
      expect(checks).toBeLessThan(20);
    } finally {
      RequestQueue.prototype.checkPendingRequests = original;
      await Promise.all([producer.disconnect(), admin.disconnect()]);
    }
  });

  it('requests that must wait (too many in flight, client throttling) are still sent, in order', async () => {
    applyKafkajsIdleFix();
    const queue = new RequestQueue({
      maxInFlightRequests: 1,
      requestTimeout: 30_000,
      enforceRequestTimeout: false,
      clientId: 'test',
      broker: 'b',
      logger: { debug() {}, warn() {}, info() {}, error() {} },
    });
    const sent: number[] = [];
    const request = (correlationId: number) =>
      new Promise((resolve) => {
        const entry = { correlationId, apiKey: 0, apiName: 'Test', apiVersion: 0, resolve, reject: resolve };
        queue.push({ entry, expectResponse: true, sendRequest: () => sent.push(correlationId) });
      });
    const answered = [request(1), request(2), request(3)];
    expect(sent).toEqual([1]);
    queue.fulfillRequest({ correlationId: 1, payload: null, size: 0 }); // frees a slot: 2 goes
    expect(sent).toEqual([1, 2]);
    queue.maybeThrottle(50); // the broker asked us to wait 50 ms
    queue.fulfillRequest({ correlationId: 2, payload: null, size: 0 });
    expect(sent).toEqual([1, 2]); // throttled: 3 waits, on a timer armed for the throttle's end
    await sleep(120);
    expect(sent).toEqual([1, 2, 3]);
    queue.fulfillRequest({ correlationId: 3, payload: null, size: 0 });
    await Promise.all(answered);
    queue.destroy();
  });

  it('a request the broker never answers still times out, and a queue whose connection is gone is destroyed', async () => {
    applyKafkajsIdleFix();
    let connected = true;
    const queue = new RequestQueue({
      maxInFlightRequests: null,
      requestTimeout: 150,
      enforceRequestTimeout: true,
      clientId: 'test',
      broker: 'b',
      logger: { debug() {}, warn() {}, info() {}, error() {} },
      isConnected: () => connected,
    }) as Queue & { scheduleRequestTimeoutCheck(): void; inflight: Map<number, unknown> };
    queue.scheduleRequestTimeoutCheck();
    const started = Date.now();
    const outcome = new Promise<string>((resolve) => {
      const entry = {
        correlationId: 7,
        apiKey: 1,
        apiName: 'Fetch',
        apiVersion: 11,
        resolve: () => resolve('answered'),
        reject: (err: Error) => resolve(err.name),
      };
      queue.push({ entry, expectResponse: true, sendRequest: () => {} });
    });
    expect(await outcome).toBe('KafkaJSRequestTimeoutError');
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
    expect(Date.now() - started).toBeLessThan(2000);
    connected = false;
    const destroy = vi.spyOn(queue, 'destroy');
    await sleep(300);
    expect(destroy).toHaveBeenCalled();
  });

  it('queues with the default 30 s request timeout are checked once a second, not ten times', async () => {
    applyKafkajsIdleFix();
    let checks = 0;
    const queue = new RequestQueue({
      maxInFlightRequests: null,
      requestTimeout: 30_000,
      enforceRequestTimeout: true,
      clientId: 'test',
      broker: 'b',
      logger: { debug() {}, warn() {}, info() {}, error() {} },
      isConnected: () => {
        checks += 1;
        return true;
      },
    }) as Queue & { scheduleRequestTimeoutCheck(): void };
    queue.scheduleRequestTimeoutCheck();
    try {
      await sleep(2500);
      // Every 100 ms (kafkajs's period) would be about 25 checks.
      expect(checks).toBeGreaterThanOrEqual(2);
      expect(checks).toBeLessThanOrEqual(3);
    } finally {
      queue.destroy();
    }
  });
});
