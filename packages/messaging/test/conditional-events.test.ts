import { decodeEnvelope } from '@hub/contracts';
import { createPool, migrate, type Pool } from '@hub/store';
import { endpoints, isolate } from '@hub/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conditionalEvents, enqueueWith, eventFactory, MESSAGING_MIGRATIONS_DIR } from '../src/index.js';

// No relay runs on this schema: what a statement wrote to the outbox stays there to be read.
const iso = isolate();
const schema = `${iso.namespace}_cond`;
let pool: Pool;
const events = eventFactory({ producer: 'test', topicPrefix: iso.topicPrefix, now: () => new Date() });

beforeAll(async () => {
  const { databaseUrl } = endpoints();
  await migrate({ url: databaseUrl, schema, dirs: [MESSAGING_MIGRATIONS_DIR] });
  pool = createPool({ url: databaseUrl, schema });
  await pool.query('CREATE TABLE things (id text PRIMARY KEY, state text NOT NULL CHECK (state <> $$bad$$))');
});

afterAll(async () => {
  await pool?.end();
  await iso.cleanup();
});

const noticeOf = (id: string) => `00000000-0000-4000-8000-${id.padStart(12, '0')}`;
// RequestDelivered: a small event; the key is its notice.
const announce = (ids: string[]) =>
  ids.map((id) => {
    const noticeId = noticeOf(id);
    const delivered = {
      requestId: noticeId,
      noticeId,
      agency: 'bank',
      institution: 'ICBC',
      measure: 'query',
    };
    return events.event('progress', noticeId, 'requestDelivered', delivered);
  });

async function outbox(): Promise<{ key: string; eventId: string }[]> {
  const { rows } = await pool.query<{ key: string; payload: Buffer }>(
    'SELECT key, payload FROM outbox ORDER BY id',
  );
  return rows.map((r) => ({ key: r.key, eventId: decodeEnvelope(r.payload).eventId }));
}

describe('conditionalEvents: a change and its events in one statement', () => {
  it('writes the events of the rows the statement changed, in the order given, and no others', async () => {
    await pool.query(
      `INSERT INTO things VALUES ('1', 'open'), ('2', 'done'), ('3', 'open'), ('4', 'open'), ('5', 'done')`,
    );
    // Built for every row asked about, in an order unlike the table's; only the open ones will change.
    const asked = ['4', '2', '1', '5', '3', '9'];
    const messages = announce(asked);
    const ev = conditionalEvents(messages, asked, 2);
    const { rows } = await pool.query<{ id: string }>(
      `WITH changed AS (UPDATE things SET state = 'done' WHERE id = ANY($1::text[]) AND state = 'open' RETURNING id),
       written AS (${ev.sql('changed')})
       SELECT id FROM changed`,
      [asked, ...ev.params],
    );
    expect(new Set(rows.map((r) => r.id))).toEqual(new Set(['1', '3', '4']));
    const expected = [0, 2, 4].map((i) => ({
      key: messages[i]!.key,
      eventId: messages[i]!.envelope.eventId,
    }));
    expect(await outbox()).toEqual(expected);
    await pool.query('DELETE FROM outbox');
  });

  it('writes nothing when the statement fails, and nothing when it changes nothing', async () => {
    await pool.query(`INSERT INTO things VALUES ('a', 'open'), ('b', 'open')`);
    const ids = ['a', 'b'];
    const failing = conditionalEvents(announce(ids), ids, 3);
    await expect(
      pool.query(
        `WITH changed AS (UPDATE things SET state = $2 WHERE id = ANY($1::text[]) RETURNING id),
         written AS (${failing.sql('changed')})
         SELECT id FROM changed`,
        [ids, 'bad', ...failing.params],
      ),
    ).rejects.toThrow(/check constraint/);
    const idle = conditionalEvents(announce(ids), ids, 2);
    const { rows } = await pool.query(
      `WITH changed AS (UPDATE things SET state = 'x' WHERE id = ANY($1::text[]) AND state = 'never' RETURNING id),
       written AS (${idle.sql('changed')})
       SELECT id FROM changed`,
      [ids, ...idle.params],
    );
    expect(rows).toEqual([]);
    expect(await outbox()).toEqual([]);
    expect((await pool.query(`SELECT state FROM things WHERE id = ANY($1::text[])`, [ids])).rows).toEqual([
      { state: 'open' },
      { state: 'open' },
    ]);
  });

  it('refuses events and subjects that do not pair up', () => {
    expect(() => conditionalEvents(announce(['1', '2']), ['1'], 1)).toThrow(/one subject per message/);
  });
});

describe('enqueueWith: a change of the caller and a batch of events in one statement', () => {
  const change = (ids: string[], state: string) => ({
    sql: 'UPDATE things SET state = $2 WHERE id = ANY($1::text[])',
    params: [ids, state],
  });

  it('writes the change and every event, the change also when there is no event', async () => {
    await pool.query(`INSERT INTO things VALUES ('w1', 'open'), ('w2', 'open'), ('w3', 'open')`);
    const messages = announce(['w1', 'w2']);
    await enqueueWith(pool, messages, change(['w1', 'w2'], 'done'));
    await enqueueWith(pool, [], change(['w3'], 'done'));
    expect(await outbox()).toEqual(messages.map((m) => ({ key: m.key, eventId: m.envelope.eventId })));
    const { rows } = await pool.query(`SELECT id, state FROM things WHERE id LIKE 'w%' ORDER BY id`);
    expect(rows).toEqual([
      { id: 'w1', state: 'done' },
      { id: 'w2', state: 'done' },
      { id: 'w3', state: 'done' },
    ]);
    await pool.query('DELETE FROM outbox');
  });

  it('writes neither when the change fails, and only the events without a change', async () => {
    await pool.query(`INSERT INTO things VALUES ('f1', 'open')`);
    await expect(enqueueWith(pool, announce(['f1']), change(['f1'], 'bad'))).rejects.toThrow(
      /check constraint/,
    );
    expect(await outbox()).toEqual([]);
    expect((await pool.query(`SELECT state FROM things WHERE id = 'f1'`)).rows).toEqual([{ state: 'open' }]);
    const messages = announce(['f1']);
    await enqueueWith(pool, messages, undefined);
    expect(await outbox()).toEqual([{ key: messages[0]!.key, eventId: messages[0]!.envelope.eventId }]);
    await pool.query('DELETE FROM outbox');
  });
});
