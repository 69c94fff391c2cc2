import { describe, expect, it } from 'vitest';
import { HoldReporter } from './hold-reporter.js';
import type { NotedHoldChange } from './ledgers/hold-changes.js';

const at = new Date('2026-12-01T02:00:00Z');
const promoted: NotedHoldChange = {
  holdId: '0f8c2f3e-7d1b-4b8e-9a51-6a1f6f0e1a01',
  asset: '6222020200112233445',
  change: 'promoted',
  from: '2026-12-01',
  until: '2027-11-30',
  registrationNo: 'ICBC-20261201-000002',
  frozenFen: 100,
  at,
};
const moved: NotedHoldChange = {
  holdId: '0f8c2f3e-7d1b-4b8e-9a51-6a1f6f0e1a02',
  asset: '6222020200112233445',
  change: 'released-by-other-court',
  queuePosition: 1,
  at,
};
const quiet = { warn: () => undefined };
type Sent = { reports: { reportId: string; change: string }[] };

describe('hold reporter', () => {
  it('reports in the adapter’s shape, keeps everything after a failed send and sends it again, same ids', async () => {
    const r = new HoldReporter('ICBC', quiet);
    r.add([promoted, moved, { ...moved, holdId: `${moved.holdId}#6222020200112233446` }]);
    expect(r.pending).toBe(2); // a hold spread over accounts is not one the hub knows
    const sent: Sent[] = [];
    await expect(
      r.flush(async (_m, _p, body) => {
        sent.push(body as Sent);
        throw new Error('adapter down');
      }),
    ).rejects.toThrow('adapter down');
    expect(r.pending).toBe(2);
    await r.flush(async <T>(_m: string, _p: string, body?: unknown) => {
      sent.push(body as Sent);
      return { results: (body as Sent).reports.map((x) => ({ reportId: x.reportId, ok: true })) } as T;
    });
    expect(r.pending).toBe(0);
    expect(r.reported).toBe(2);
    expect(sent[1]).toEqual(sent[0]); // the resend is the same reports: the adapter takes each once
    expect(sent[0]!.reports[0]).toEqual({
      reportId: expect.stringMatching(/^P-/),
      requestId: promoted.holdId,
      change: 'promoted',
      occurredAt: at.toISOString(),
      queuePosition: 0,
      term: { from: '2026-12-01', until: '2027-11-30' },
      registrationNo: 'ICBC-20261201-000002',
      frozenFen: 100,
    });
    expect(sent[0]!.reports[1]).toMatchObject({ change: 'released-by-other-court', queuePosition: 1 });
  });

  it('drops a report the adapter refuses for good, retries one it could not store, in order', async () => {
    const r = new HoldReporter('ICBC', quiet);
    r.add([promoted, moved]);
    await r.flush(async <T>(_m: string, _p: string, body?: unknown) => {
      const [a, b] = (body as Sent).reports;
      return {
        results: [
          { reportId: a!.reportId, ok: false, code: 'NOT_A_HOLD' },
          { reportId: b!.reportId, ok: false, code: 'UNAVAILABLE' },
        ],
      } as T;
    });
    expect(r.pending).toBe(1);
    expect(r.reported).toBe(0);
  });
});
