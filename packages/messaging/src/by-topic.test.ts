import type { PoolClient } from 'pg';
import { describe, expect, it } from 'vitest';
import { type BatchHandler, byTopic, type ConsumedEvent } from './consumer.js';

const event = (topic: string, offset: number) =>
  ({ topic, partition: 0, offset: String(offset) }) as ConsumedEvent;
const tx = {} as PoolClient;

describe('byTopic: several topics in one consumer group', () => {
  it("gives each handler its own topic's events, in batch order, in the batch's transaction", async () => {
    const seen: [string, PoolClient, string[]][] = [];
    const record =
      (name: string): BatchHandler =>
      async (t, events) => {
        seen.push([name, t, events.map((e) => `${e.topic}@${e.offset}`)]);
      };
    const handle = byTopic(
      new Map([
        ['p.holds', record('holds')],
        ['p.restrictions', record('restrictions')],
        ['p.interceptions', record('interceptions')],
      ]),
    );
    await handle(tx, [
      event('p.restrictions', 1),
      event('p.holds', 7),
      event('p.restrictions', 2),
      event('p.holds', 8),
    ]);
    expect(seen).toEqual([
      ['restrictions', tx, ['p.restrictions@1', 'p.restrictions@2']],
      ['holds', tx, ['p.holds@7', 'p.holds@8']],
    ]);
  });

  it('fails the batch for a topic nobody handles, and a failing handler fails it too', async () => {
    const ok: BatchHandler = async () => {};
    await expect(byTopic(new Map([['p.a', ok]]))(tx, [event('p.b', 1)])).rejects.toThrow(
      /no handler for topic p.b/,
    );
    const failing = byTopic(
      new Map<string, BatchHandler>([
        ['p.a', ok],
        ['p.b', async () => Promise.reject(new Error('boom'))],
      ]),
    );
    await expect(failing(tx, [event('p.a', 1), event('p.b', 2)])).rejects.toThrow('boom');
  });
});
