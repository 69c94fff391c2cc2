import { randomUUID } from 'node:crypto';
import { systemClock, validateNotice } from '@hub/domain';
import { enqueue } from '@hub/messaging';
import { Sealer } from '@hub/seal';
import { createLogger } from '@hub/service-kit';
import { hubEnv, isolate, waitFor } from '@hub/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, loadConfig } from '../src/app.js';
import { deletionNoticeNo } from '../src/deletion-requests.js';
import { NoticeWriter } from '../src/notice-writer.js';
import { notice } from './fixtures.js';

const iso = isolate();
const logger = createLogger({ service: 'gateway-test', level: 'fatal' });
const app = buildApp(
  loadConfig(hubEnv(iso, { TRACKER_GRPC_URL: '127.0.0.1:1', HUB_MEASURE_SERVICES: 'query,punishment' })),
  { logger, clock: systemClock },
);

beforeAll(() => app.start());
afterAll(async () => {
  await app.stop();
  await iso.cleanup();
});

/** Stored as the court's notice, past the door: what POST /v1/notices stores once its service admitted it. */
async function stored(body: Record<string, unknown>): Promise<string> {
  const valid = validateNotice(body);
  if (!valid.ok) throw new Error(JSON.stringify(valid.issues));
  const writer = new NoticeWriter(
    app.runtime.pool,
    app.runtime.events,
    () => new Date(),
    new Sealer('demo'),
    logger,
  );
  return (await writer.submit(valid.value, [])).id;
}

async function consumed(eventIds: string[]) {
  await waitFor(
    async () => {
      const r = await app.runtime.pool.query(
        'SELECT count(DISTINCT event_id)::int AS n FROM processed_events WHERE event_id = ANY($1::uuid[])',
        [eventIds],
      );
      return r.rows[0].n === new Set(eventIds).size;
    },
    { what: 'the requests consumed' },
  );
}

const removalsOf = async (caseNo: string) =>
  (
    await app.runtime.pool.query(
      "SELECT id, notice_no, body FROM notices WHERE measure = 'dishonest-list-removal' AND case_no = $1",
      [caseNo],
    )
  ).rows;

describe('deletions at term end (DeletionRequested → the court’s dishonest-list-removal)', () => {
  it('issues one sealed removal, reason expired, from the court’s listing notice, however often it is delivered', async () => {
    const caseNo = '(2026)川0104执3101号';
    const listing = notice({
      noticeNo: `${caseNo}-失信01`,
      caseNo,
      measure: 'dishonest-list',
      targets: [],
      params: { ground: 'evades-enforcement' },
    });
    const listingId = await stored(listing);
    const endsAt = new Date(Date.now() - 60_000);
    const message = app.runtime.events.event('controlActions', listingId, 'deletionRequested', {
      listingNoticeId: listingId,
      courtCode: '川0104',
      caseNo,
      endsAt,
    });
    // The same event twice (a redelivery): one notice.
    await enqueue(app.runtime.pool, [message]);
    await enqueue(app.runtime.pool, [message]);
    await consumed([message.envelope.eventId]);
    const rows = await waitFor(async () => ((r) => r.length > 0 && r)(await removalsOf(caseNo)), {
      what: 'the removal issued',
    });
    expect(rows).toHaveLength(1);
    expect(rows[0].notice_no).toBe(deletionNoticeNo(caseNo, listingId));
    expect(rows[0].body).toMatchObject({
      caseNo,
      court: listing.court,
      officer: listing.officer,
      debtor: listing.debtor,
      legalBasis: listing.legalBasis,
      measure: 'dishonest-list-removal',
      targets: [],
      params: { removalReason: 'expired' },
    });
  });

  it('issues nothing for a request naming another court’s notice, a notice that is no listing, or none', async () => {
    const caseNo = '(2026)川0104执3102号';
    const query = await stored(notice({ noticeNo: `${caseNo}-协01`, caseNo }));
    const asks = [
      { listingNoticeId: query, courtCode: '川0104', caseNo, endsAt: new Date() },
      { listingNoticeId: randomUUID(), courtCode: '川0104', caseNo, endsAt: new Date() },
      { listingNoticeId: query, courtCode: '川0105', caseNo, endsAt: new Date() },
    ].map((a) => app.runtime.events.event('controlActions', a.listingNoticeId, 'deletionRequested', a));
    await enqueue(app.runtime.pool, asks);
    await consumed(asks.map((m) => m.envelope.eventId));
    expect(await removalsOf(caseNo)).toEqual([]);
  });
});
