import { randomUUID } from 'node:crypto';
import type { NoticeSubmission } from '@hub/contracts';
import { systemClock } from '@hub/domain';
import { Sealer } from '@hub/seal';
import { createLogger, schemaName } from '@hub/service-kit';
import { type Client, connectClient } from '@hub/store';
import { endpoints, hubEnv, isolate, portOf, waitFor } from '@hub/testkit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildAdapterApp, loadAdapterConfig, signAgencyRequest } from '../src/index.js';

/**
 * Long-poll leases (GET /v1/agency/inbox?wait=N) on the real stack: a bank adapter, its database schema
 * and Kafka; requests are stored by another connection, as the adapter's consumer would store them, and
 * each wakes the waiting lease of its institution through migration 1005's NOTIFY at commit.
 */
const iso = isolate();
const config = loadAdapterConfig('bank', hubEnv(iso));
const logger = createLogger({ service: 'long-poll-test', level: 'error' });
const app = buildAdapterApp('bank', config, { logger, clock: systemClock });
const schema = schemaName(iso.namespace, 'adapter-bank');
/** Another session than the adapter's: its commits wake the adapter only through PostgreSQL. */
let writer: Client;

beforeAll(async () => {
  await app.start();
  writer = await connectClient({ url: endpoints().databaseUrl, schema, applicationName: 'long-poll-test' });
});

afterAll(async () => {
  await writer?.end();
  await app.stop();
  await iso.cleanup();
});

// Each test starts from an empty inbox: a request left open by one would be leased by the next.
beforeEach(async () => {
  await writer.query('DELETE FROM requests');
});

const COURT = { code: '川0104', name: '成都市锦江区人民法院' };
const sealer = new Sealer('demo');

/** Store one sealed request for `institution` and commit; returns its id and when the commit returned. */
async function store(institution: string): Promise<{ id: string; committedAt: number }> {
  const notice: NoticeSubmission = {
    caseNo: '(2026)川0104执1234号',
    noticeNo: `(2026)川0104执1234号-协${randomUUID().slice(0, 8)}`,
    legalBasis: '(2026)川0104执1234号执行裁定书',
    measure: 'query',
    court: COURT,
    targets: [{ agency: 'bank', institution: '' }],
    issuedAt: '2026-11-23T09:00:00+08:00',
    confirmWarnings: [],
  };
  const id = randomUUID();
  await writer.query('BEGIN');
  await app.inbox.store(writer, [
    {
      requestId: id,
      noticeId: randomUUID(),
      institution,
      notice,
      seal: sealer.seal(COURT.code, notice),
      reusedFrom: null,
    },
  ]);
  await writer.query('COMMIT');
  return { id, committedAt: performance.now() };
}

const secretOf = (institution: string) => `${institution.toLowerCase()}-demo-secret`;
const inboxUrl = (query: string) => `/v1/agency/inbox?limit=50&${query}`;
const headersFor = (institution: string, url: string, worker = 'w1') => ({
  ...signAgencyRequest({ institution, secret: secretOf(institution), method: 'GET', path: url, body: '' }),
  'x-agency-worker': worker,
});

/** A lease as the institution's worker asks for it, timed: when its answer came back. */
async function lease(institution: string, query: string, worker = 'w1') {
  const url = inboxUrl(query);
  const startedAt = performance.now();
  const res = await app.http.inject({ url, headers: headersFor(institution, url, worker) });
  return { res, startedAt, answeredAt: performance.now() };
}
const idsOf = (res: { json(): { requests?: { id: string }[] } }) =>
  (res.json().requests ?? []).map((r) => r.id);
const asleep = (institution: string, n = 1) =>
  waitFor(() => app.waiters.sleeping(institution) === n, { what: `${n} waiting lease(s) of ${institution}` });

describe('a long-poll lease (wait=N)', () => {
  it('returns a request stored by another session as soon as it commits, having waited for it', async () => {
    const pending = lease('ICBC', 'wait=20');
    await asleep('ICBC');
    const { id, committedAt } = await store('ICBC');
    const { res, startedAt, answeredAt } = await pending;
    expect(res.statusCode).toBe(200);
    expect(idsOf(res)).toEqual([id]);
    // It was answered after the commit (it waited for it), well before its 20 s were up.
    expect(answeredAt).toBeGreaterThan(committedAt);
    expect(answeredAt - startedAt).toBeLessThan(20_000);
    expect(app.waiters.waiting()).toBe(0);
  });

  it('answers empty once its wait is over when nothing arrives', async () => {
    const { res, startedAt, answeredAt } = await lease('ICBC', 'wait=1');
    expect(res.statusCode).toBe(200);
    expect(idsOf(res)).toEqual([]);
    expect(answeredAt - startedAt).toBeGreaterThanOrEqual(950);
  });

  it('answers at once when there is work already, and wait=0 is the plain lease', async () => {
    const { id } = await store('ICBC');
    const { res } = await lease('ICBC', 'wait=30');
    expect(idsOf(res)).toEqual([id]);
    const plain = await lease('ICBC', 'wait=0');
    expect(idsOf(plain.res)).toEqual([]);
    expect(app.waiters.waiting()).toBe(0);
  });

  it('is woken when another worker’s lease expires: the request is leasable again with nothing stored', async () => {
    const { id } = await store('ICBC');
    const first = await lease('ICBC', 'leaseSeconds=5', 'w1');
    expect(idsOf(first.res)).toEqual([id]);
    const { res, startedAt, answeredAt } = await lease('ICBC', 'wait=30&leaseSeconds=60', 'w2');
    expect(idsOf(res)).toEqual([id]);
    expect(res.json().requests[0].status).toBe('delivered');
    expect(answeredAt - startedAt).toBeLessThan(30_000);
  });

  it('is not given another institution’s work, nor work of another adapter’s schema', async () => {
    const icbc = lease('ICBC', 'wait=2');
    const ccb = lease('CCB', 'wait=20');
    await asleep('ICBC');
    await asleep('CCB');
    // The same institution in another schema (another adapter or test sharing the database) wakes nobody here.
    await writer.query(`SELECT pg_notify('hub_inbox', 'another_schema:ICBC')`);
    const { id } = await store('CCB');
    expect(idsOf((await ccb).res)).toEqual([id]);
    const mine = await icbc;
    expect(idsOf(mine.res)).toEqual([]);
    expect(mine.answeredAt - mine.startedAt).toBeGreaterThanOrEqual(1950);
  });

  it('refuses a waiting lease beyond 8 per institution with 429 TOO_MANY_WAITERS; other institutions still wait', async () => {
    const eight = Array.from({ length: 8 }, (_, i) => lease('ICBC', 'wait=3', `w${i}`));
    await asleep('ICBC', 8);
    const ninth = await lease('ICBC', 'wait=3', 'w9');
    expect([ninth.res.statusCode, ninth.res.json().error.code]).toEqual([429, 'TOO_MANY_WAITERS']);
    expect(ninth.res.headers['retry-after']).toBe('1');
    // Without waiting, the same institution is served as ever.
    expect((await lease('ICBC', 'wait=0', 'w9')).res.statusCode).toBe(200);
    const other = lease('CCB', 'wait=1');
    const { id } = await store('ICBC');
    const got = (await Promise.all(eight)).flatMap(({ res }) => idsOf(res));
    expect(got).toEqual([id]); // one of the eight took it, the others found nothing
    expect((await other).res.statusCode).toBe(200);
  });

  it.each([
    ['-1', 'TOO_SMALL'],
    ['31', 'TOO_BIG'],
    ['x', 'INVALID_TYPE'],
    ['1.5', 'INVALID_TYPE'],
  ])('refuses wait=%s with 400 naming the field (%s)', async (wait, code) => {
    const { res } = await lease('ICBC', `wait=${wait}`);
    expect([res.statusCode, res.json().error.code]).toEqual([400, 'VALIDATION_FAILED']);
    const details = res.json().error.details as { path: string; code: string }[];
    expect(details.map((d) => [d.path, d.code])).toEqual([['wait', code]]);
  });

  it('ends the wait when the client goes away, leasing nothing to it', async () => {
    const port = portOf(app.http);
    const url = inboxUrl('wait=30');
    const gone = new AbortController();
    const call = fetch(`http://127.0.0.1:${port}${url}`, {
      headers: headersFor('ICBC', url),
      signal: gone.signal,
    }).catch((err: Error) => err);
    await asleep('ICBC');
    gone.abort();
    expect(await call).toBeInstanceOf(Error);
    await waitFor(() => app.waiters.waiting('ICBC') === 0, { what: 'the waiter released' });
    const { id } = await store('ICBC');
    expect(idsOf((await lease('ICBC', 'wait=0')).res)).toEqual([id]);
  });

  it('still wakes after its LISTEN session is killed: the listener reconnects and wakes every waiter', async () => {
    const pid = app.listener.backendPid;
    expect(pid).toBeDefined();
    const reconnects = app.listener.reconnects;
    const pending = lease('ICBC', 'wait=30');
    await asleep('ICBC');
    await writer.query('SELECT pg_terminate_backend($1)', [pid]);
    await waitFor(() => app.listener.reconnects > reconnects && app.listener.backendPid !== undefined, {
      what: 'the inbox listener listening again',
    });
    expect(app.listener.backendPid).not.toBe(pid);
    // Woken on reconnect, the waiter looked, found nothing and waits again; a new request still reaches it.
    await asleep('ICBC');
    const { id, committedAt } = await store('ICBC');
    const { res, answeredAt } = await pending;
    expect(idsOf(res)).toEqual([id]);
    expect(answeredAt).toBeGreaterThan(committedAt);
  });
});

/** POST /v1/agency/answers with `query`, signed by `institution`'s worker w1. */
async function answerAndLease(
  institution: string,
  query: string,
  answers: unknown[],
  extraHeaders: Record<string, string> = {},
) {
  const url = `/v1/agency/answers${query ? `?${query}` : ''}`;
  const body = JSON.stringify({ answers });
  const headers = {
    ...signAgencyRequest({ institution, secret: secretOf(institution), method: 'POST', path: url, body }),
    'x-agency-worker': 'w1',
    'content-type': 'application/json',
    ...extraHeaders,
  };
  const startedAt = performance.now();
  const res = await app.http.inject({ method: 'POST', url, headers, payload: body });
  return { res, startedAt, answeredAt: performance.now() };
}
const noAccount = (requestId: string) => ({ requestId, outcome: 'cannot-assist', reason: '查无此人' });
const statusOf = async (id: string) =>
  (await writer.query<{ status: string }>('SELECT status FROM requests WHERE id = $1', [id])).rows[0]?.status;

describe('answering and leasing the next batch in one call (POST /v1/agency/answers?lease=true)', () => {
  it('stores the answers, then leases and acknowledges the next batch as the inbox would', async () => {
    const a = await store('ICBC');
    const b = await store('ICBC');
    const c = await store('CCB');
    const one = '/v1/agency/inbox?limit=1&acknowledge=true';
    const [taken] = idsOf(await app.http.inject({ url: one, headers: headersFor('ICBC', one) }));
    const other = taken === a.id ? b.id : a.id;
    const { res } = await answerAndLease('ICBC', 'lease=true&limit=50&acknowledge=true', [noAccount(taken!)]);
    expect(res.statusCode).toBe(200);
    expect(res.json().results).toEqual([expect.objectContaining({ requestId: taken, ok: true })]);
    // The next batch is the institution's other open request, acknowledged by the same call; never CCB's.
    expect(res.json().requests.map((r: { id: string; status: string }) => [r.id, r.status])).toEqual([
      [other, 'acknowledged'],
    ]);
    expect(await statusOf(taken!)).toBe('cannot-assist');
    expect(await statusOf(other)).toBe('acknowledged');
    expect(await statusOf(c.id)).toBe('pending');
    // Without `lease`, the answer call is what it always was: results only.
    const plain = await answerAndLease('ICBC', '', [noAccount(other)]);
    expect(plain.res.json()).toEqual({ results: [expect.objectContaining({ requestId: other, ok: true })] });
  });

  it('waits for the next request like a long-poll lease, answering as soon as it commits', async () => {
    const a = await store('ICBC');
    expect(idsOf((await lease('ICBC', '')).res)).toEqual([a.id]);
    const pending = answerAndLease('ICBC', 'lease=true&wait=20', [noAccount(a.id)]);
    await asleep('ICBC');
    // The answer went in before the wait began.
    expect(await statusOf(a.id)).toBe('cannot-assist');
    const next = await store('ICBC');
    const { res, startedAt, answeredAt } = await pending;
    expect(res.json().requests.map((r: { id: string }) => r.id)).toEqual([next.id]);
    expect(answeredAt).toBeGreaterThan(next.committedAt);
    expect(answeredAt - startedAt).toBeLessThan(20_000);
    expect(app.waiters.waiting()).toBe(0);
  });

  it('does not wait, and does not refuse answers it stored, where the institution already has 8 waiting calls', async () => {
    const a = await store('ICBC');
    expect(idsOf((await lease('ICBC', '')).res)).toEqual([a.id]);
    const eight = Array.from({ length: 8 }, (_, i) => lease('ICBC', 'wait=2', `w${i}`));
    await asleep('ICBC', 8);
    const { res, startedAt, answeredAt } = await answerAndLease('ICBC', 'lease=true&wait=20', [
      noAccount(a.id),
    ]);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ results: [expect.objectContaining({ ok: true })], requests: [] });
    expect(answeredAt - startedAt).toBeLessThan(1_500);
    expect(await statusOf(a.id)).toBe('cannot-assist');
    await Promise.all(eight);
  });

  it('ends its wait when the client goes away, keeping the answers and leasing nothing to it', async () => {
    const a = await store('ICBC');
    expect(idsOf((await lease('ICBC', '')).res)).toEqual([a.id]);
    const url = '/v1/agency/answers?lease=true&wait=30';
    const body = JSON.stringify({ answers: [noAccount(a.id)] });
    const gone = new AbortController();
    const call = fetch(`http://127.0.0.1:${portOf(app.http)}${url}`, {
      method: 'POST',
      headers: {
        ...signAgencyRequest({
          institution: 'ICBC',
          secret: secretOf('ICBC'),
          method: 'POST',
          path: url,
          body,
        }),
        'x-agency-worker': 'w1',
        'content-type': 'application/json',
      },
      body,
      signal: gone.signal,
    }).catch((err: Error) => err);
    await asleep('ICBC');
    gone.abort();
    expect(await call).toBeInstanceOf(Error);
    await waitFor(() => app.waiters.waiting('ICBC') === 0, { what: 'the waiter released' });
    expect(await statusOf(a.id)).toBe('cannot-assist');
    const { id } = await store('ICBC');
    expect(idsOf((await lease('ICBC', 'wait=0')).res)).toEqual([id]);
  });

  it.each([
    ['lease=true&wait=31', [['wait', 'TOO_BIG']]],
    ['lease=maybe', [['lease', 'INVALID_VALUE']]],
    ['lease=true&limit=0', [['limit', 'TOO_SMALL']]],
    ['lease=true&next=1', [['next', 'UNKNOWN_FIELD']]],
    [
      'wait=5&acknowledge=true',
      [
        ['wait', 'INVALID_VALUE'],
        ['acknowledge', 'INVALID_VALUE'],
      ],
    ],
    [
      'lease=true&limit=1&limit=2&wait=99',
      [
        ['limit', 'REPEATED'],
        ['wait', 'TOO_BIG'],
      ],
    ],
    ['lease=true&lease=true', [['lease', 'REPEATED']]],
  ])('refuses %s whole with 400 naming each parameter, storing no answer', async (query, issues) => {
    const a = await store('ICBC');
    expect(idsOf((await lease('ICBC', '')).res)).toEqual([a.id]);
    const { res } = await answerAndLease('ICBC', query, [noAccount(a.id)]);
    expect([res.statusCode, res.json().error.code]).toEqual([400, 'VALIDATION_FAILED']);
    const details = res.json().error.details as { path: string; code: string }[];
    expect(details.map((d) => [d.path, d.code])).toEqual(issues);
    expect(await statusOf(a.id)).toBe('delivered');
  });
});

describe('a lease call repeated with its Idempotency-Key (its reply lost)', () => {
  const keyed = async (institution: string, query: string, key: string, worker = 'w1') => {
    const url = `/v1/agency/inbox?${query}`;
    return app.http.inject({
      url,
      headers: { ...headersFor(institution, url, worker), 'idempotency-key': key },
    });
  };

  it('gets back at once what the first call leased and still holds, and leases nothing more', async () => {
    const [a, b, c] = [await store('ICBC'), await store('ICBC'), await store('ICBC')];
    const first = await keyed('ICBC', 'limit=2&acknowledge=true', 'k-1');
    expect(idsOf(first)).toEqual([a.id, b.id]);
    // The same call again, even one that would wait: the same two, at once; c stays free for the others.
    const startedAt = performance.now();
    const again = await keyed('ICBC', 'limit=2&acknowledge=true&wait=20', 'k-1');
    expect(performance.now() - startedAt).toBeLessThan(5_000);
    expect(again.json().requests.map((r: { id: string; status: string }) => [r.id, r.status])).toEqual([
      [a.id, 'acknowledged'],
      [b.id, 'acknowledged'],
    ]);
    expect(again.json().requests[0].leaseUntil).toBe(first.json().requests[0].leaseUntil);
    // Another key is another call: it leases what is free.
    expect(idsOf(await keyed('ICBC', 'limit=50', 'k-2'))).toEqual([c.id]);
    // Answered since: no longer returned; another institution's key of the same text finds nothing of ICBC's.
    await answerAndLease('ICBC', '', [noAccount(a.id)]);
    expect(idsOf(await keyed('ICBC', 'limit=2', 'k-1'))).toEqual([b.id]);
    expect(idsOf(await keyed('CCB', 'limit=2', 'k-1'))).toEqual([]);
    // Once its lease has run out, the key holds nothing: the call leases as a new one.
    await writer.query("UPDATE requests SET lease_until = now() - interval '1 second' WHERE id = $1", [b.id]);
    expect(idsOf(await keyed('ICBC', 'limit=50', 'k-1'))).toEqual([b.id]);
  });

  it('works for an answers call that leased the next batch: the answers stored once, the batch returned again', async () => {
    const [a, b] = [await store('ICBC'), await store('ICBC')];
    expect(idsOf(await keyed('ICBC', 'limit=1', 'lease-1'))).toEqual([a.id]);
    const call = async () =>
      (
        await answerAndLease('ICBC', 'lease=true&limit=50&acknowledge=true', [noAccount(a.id)], {
          'idempotency-key': 'answers-7',
        })
      ).res;
    const first = await call();
    const again = await call();
    for (const res of [first, again]) {
      expect(res.statusCode).toBe(200);
      expect(res.json().results).toEqual([expect.objectContaining({ requestId: a.id, ok: true })]);
      expect(idsOf(res)).toEqual([b.id]);
    }
    expect(await statusOf(a.id)).toBe('cannot-assist');
    expect(await statusOf(b.id)).toBe('acknowledged');
  });

  it('refuses a key longer than 128 characters with 400 INVALID_IDEMPOTENCY_KEY, leasing nothing', async () => {
    const a = await store('ICBC');
    const res = await keyed('ICBC', 'limit=50', 'x'.repeat(129));
    expect([res.statusCode, res.json().error.code]).toEqual([400, 'VALIDATION_FAILED']);
    expect(res.json().error.details).toEqual([
      expect.objectContaining({ path: 'Idempotency-Key', code: 'INVALID_IDEMPOTENCY_KEY' }),
    ]);
    expect(await statusOf(a.id)).toBe('pending');
  });
});

describe('stopping an adapter', () => {
  it('answers every waiting lease at once (empty) instead of holding the stop for their wait', async () => {
    // A second replica of the same adapter (same schema): stopping it must not wait 30 s for its long polls.
    const replica = buildAdapterApp('bank', config, { logger, clock: systemClock });
    await replica.start();
    const url = inboxUrl('wait=30');
    const calls = ['ICBC', 'CCB'].map((institution) =>
      fetch(`http://127.0.0.1:${portOf(replica.http)}${url}`, { headers: headersFor(institution, url) }),
    );
    await waitFor(() => replica.waiters.sleeping('ICBC') === 1 && replica.waiters.sleeping('CCB') === 1, {
      what: 'both leases waiting on the replica',
    });
    const stopping = performance.now();
    await replica.stop();
    expect(performance.now() - stopping).toBeLessThan(10_000);
    for (const res of await Promise.all(calls)) {
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ requests: [] });
    }
  });
});
