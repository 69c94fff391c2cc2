import { randomUUID } from 'node:crypto';
import { systemClock, validateNotice } from '@hub/domain';
import { enqueue } from '@hub/messaging';
import { Sealer } from '@hub/seal';
import { createLogger } from '@hub/service-kit';
import { hubEnv, isolate, waitFor } from '@hub/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, loadConfig } from '../src/app.js';
import { NoticeWriter } from '../src/notice-writer.js';
import { notice } from './fixtures.js';

const iso = isolate();
const logger = createLogger({ service: 'gateway-test', level: 'warn' });
const app = buildApp(
  loadConfig(hubEnv(iso, { TRACKER_GRPC_URL: '127.0.0.1:1', HUB_MEASURE_SERVICES: 'query,freeze-deduct' })),
  { logger, clock: systemClock },
);

beforeAll(() => app.start());
afterAll(async () => {
  await app.stop();
  await iso.cleanup();
});

describe('releases of over-freezing (ReleaseRequested → the court’s release notice)', () => {
  it('issues one sealed release from the court’s freeze notice, however often it is asked', async () => {
    const accountNo = '6222020200112233445';
    const freeze = notice({
      measure: 'freeze',
      targets: [{ agency: 'bank', institution: 'ICBC' }],
      params: { amountFen: 10_000, termDays: 30, accountNo, owedFen: 10_000 },
    });
    // Stored as the court's freeze, past the door: what POST /v1/notices would store once freeze-deduct
    // (not running here) had admitted it.
    const valid = validateNotice(freeze);
    if (!valid.ok) throw new Error(JSON.stringify(valid.issues));
    const writer = new NoticeWriter(
      app.runtime.pool,
      app.runtime.events,
      () => new Date(),
      new Sealer('demo'),
      logger,
    );
    const { id: freezeId } = await writer.submit(valid.value, []);

    const asked = {
      releaseId: randomUUID(),
      courtCode: '川0104',
      caseNo: freeze.caseNo as string,
      freezeNoticeId: freezeId,
      agency: 'bank',
      institution: 'ICBC',
      accountNo,
      amountFen: 4_000,
      frozenFen: 10_000,
      owedFen: 6_000,
      noticeNo: `${freeze.caseNo}-超冻解TEST000001`,
    };
    // Asked twice (two events with the same release, as after a retried batch): one notice.
    const events = app.runtime.events;
    const messages = [1, 2].map(() => events.event('controlActions', freezeId, 'releaseRequested', asked));
    await enqueue(app.runtime.pool, messages);
    await waitFor(
      async () => {
        const r = await app.runtime.pool.query(
          'SELECT count(*)::int AS n FROM processed_events WHERE event_id = ANY($1::uuid[])',
          [messages.map((m) => m.envelope.eventId)],
        );
        return r.rows[0].n === 2;
      },
      { what: 'both requests consumed' },
    );
    const { rows } = await app.runtime.pool.query(
      "SELECT id, body FROM notices WHERE measure = 'release' AND case_no = $1",
      [asked.caseNo],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0].body).toMatchObject({
      noticeNo: asked.noticeNo,
      court: freeze.court,
      officer: freeze.officer,
      debtor: freeze.debtor,
      legalBasis: freeze.legalBasis,
      measure: 'release',
      targets: [{ agency: 'bank', institution: 'ICBC' }],
      params: { accountNo, amountFen: 4_000 },
    });
  });
});
