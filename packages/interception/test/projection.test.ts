import { endpoints, isolate } from '@hub/testkit';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { InterceptionProjection } from '../src/projection.js';

const iso = isolate();
const redis = new Redis(endpoints().redisUrl);
const projection = new InterceptionProjection(redis, iso.namespace);
const NOW = new Date('2026-11-20T02:00:00Z');
const entry = (id: string, endsAt?: string) => ({
  entryId: id,
  measure: 'dishonest-list',
  courtCode: '川0104',
  caseNo: '(2026)川0104执1号',
  noticeId: id,
  since: '2026-11-20T01:00:00Z',
  ...(endsAt ? { endsAt } : {}),
  role: 'debtor',
  debtorKind: 'person',
});

afterAll(async () => {
  const keys = await redis.keys(`${iso.namespace}:*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
});

describe('InterceptionProjection', () => {
  it('keeps the newest version whatever the order, and drops entries past their term', async () => {
    expect(await projection.apply([{ hash: 'a', version: 2, entries: [] }])).toBe(1);
    expect(await projection.apply([{ hash: 'a', version: 1, entries: [entry('e1')] }])).toBe(0);
    await projection.apply([
      { hash: 'b', version: 1, entries: [entry('e2', '2026-11-20T01:30:00Z'), entry('e3')] },
    ]);
    const r = await projection.read(['a', 'b', 'c'], NOW);
    expect(r.standings.get('a')).toEqual([]);
    expect(r.standings.get('b')!.map((e) => e.entryId)).toEqual(['e3']);
    // A subject never held has no standing at all, unlike a lifted one (nothing binding).
    expect(r.standings.has('c')).toBe(false);
  });

  it('reports the version each subject holds, null where its key is missing', async () => {
    await projection.apply([
      { hash: 'v1', version: 7, entries: [entry('e4')] },
      { hash: 'v2', version: 12, entries: [] },
    ]);
    expect(await projection.versions(['v2', 'missing', 'v1'])).toEqual([12, null, 7]);
    expect(await projection.versions([])).toEqual([]);
    await redis.del(`${iso.namespace}:intercept:s:v1`);
    expect(await projection.versions(['v1', 'v2'])).toEqual([null, 12]);
  });

  it('a rebuild is marked ready only if no key was lost while it ran', async () => {
    await projection.markRebuilding();
    await projection.beginRebuild('t1');
    expect(await projection.markReadyAfter('t1', 'test', NOW)).toBe(true);
    expect(await projection.isReady()).toBe(true);
    await projection.markRebuilding();
    await projection.beginRebuild('t2');
    const keys = await redis.keys(`${iso.namespace}:intercept:*`);
    await redis.del(...keys);
    expect(await projection.markReadyAfter('t2', 'test', NOW)).toBe(false);
    expect((await projection.read(['a'], NOW)).ready).toBe(false);
  });

  it('takes a nonce and reads in one command: a nonce seen before reads as a replay', async () => {
    await projection.apply([{ hash: 'n1', version: 1, entries: [entry('e9')] }]);
    await projection.markReady('test', NOW);
    const nonce = { key: `${iso.namespace}:nonce:test:abc`, ttlMs: 60_000 };
    const first = await projection.readConsuming(['n1', 'missing'], NOW, nonce);
    expect(first.fresh).toBe(true);
    expect(first.ready).toBe(true);
    expect(first.standings.get('n1')!.map((e) => e.entryId)).toEqual(['e9']);
    expect(first.standings.has('missing')).toBe(false);
    expect(await redis.pttl(nonce.key)).toBeGreaterThan(50_000);
    const again = await projection.readConsuming(['n1'], NOW, nonce);
    expect(again.fresh).toBe(false);
  });

  it('reads the checks of one turn in one command, each with its own subjects and nonce', async () => {
    await projection.apply(
      Array.from({ length: 30 }, (_, i) => ({ hash: `g${i}`, version: 1, entries: [entry(`eg${i}`)] })),
    );
    await projection.markReady('test', NOW);
    const sent = vi.spyOn(redis, 'sendCommand');
    const nonce = (k: string) => ({ key: `${iso.namespace}:nonce:test:group-${k}`, ttlMs: 60_000 });
    try {
      // 30 single-subject reads, a 1,000-subject batch (a command of its own) and a 60-subject one among them, and
      // one nonce used twice in the same turn.
      const big = Array.from({ length: 1000 }, (_, i) => (i % 100 === 0 ? `g${i / 100}` : `none${i}`));
      const small = Array.from({ length: 60 }, (_, i) => (i % 20 === 0 ? `g${i / 20}` : `none${i}`));
      const reads = [
        ...Array.from({ length: 30 }, (_, i) => projection.readConsuming([`g${i}`], NOW, nonce(`s${i}`))),
        projection.readConsuming(big, NOW, nonce('big')),
        projection.readConsuming(small, NOW, nonce('small')),
        projection.readConsuming(['g3', 'missing'], NOW, nonce('twice')),
        projection.readConsuming(['g4'], NOW, nonce('twice')),
      ];
      const results = await Promise.all(reads);
      const evals = sent.mock.calls.filter(([c]) => /^eval/i.test((c as { name: string }).name));
      expect(evals.length).toBe(2);
      for (let i = 0; i < 30; i++) {
        expect(results[i]!.fresh).toBe(true);
        expect(results[i]!.ready).toBe(true);
        expect([...results[i]!.standings.keys()]).toEqual([`g${i}`]);
        expect(results[i]!.standings.get(`g${i}`)!.map((e) => e.entryId)).toEqual([`eg${i}`]);
      }
      const batch = results[30]!;
      expect(batch.fresh).toBe(true);
      expect([...batch.standings.keys()]).toEqual(Array.from({ length: 10 }, (_, i) => `g${i}`));
      expect(results[31]!.fresh).toBe(true);
      expect([...results[31]!.standings.keys()]).toEqual(['g0', 'g1', 'g2']);
      // The first use of a nonce is fresh, the second (later in the same group) a replay.
      expect(results[32]!.fresh).toBe(true);
      expect([...results[32]!.standings.keys()]).toEqual(['g3']);
      expect(results[33]!.fresh).toBe(false);
    } finally {
      sent.mockRestore();
    }
  });

  it('splits a turn heavier than one command may carry, and still answers each read its own', async () => {
    const nonce = (k: string) => ({ key: `${iso.namespace}:nonce:test:split-${k}`, ttlMs: 60_000 });
    // 100 reads of 60 subjects: 6,100 keys, more than one command carries.
    const batches = Array.from({ length: 100 }, (_, b) =>
      Array.from({ length: 60 }, (_, i) => (i === b % 60 ? `g${b % 30}` : `split${b}-${i}`)),
    );
    const sent = vi.spyOn(redis, 'sendCommand');
    try {
      const results = await Promise.all(
        batches.map((h, b) => projection.readConsuming(h, NOW, nonce(`${b}`))),
      );
      const evals = sent.mock.calls.filter(([c]) => /^eval/i.test((c as { name: string }).name));
      expect(evals.length).toBeGreaterThan(1);
      results.forEach((r, b) => {
        expect(r.fresh).toBe(true);
        expect([...r.standings.keys()]).toEqual([`g${b % 30}`]);
      });
    } finally {
      sent.mockRestore();
    }
  });
});
