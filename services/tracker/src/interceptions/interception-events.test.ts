import { eventFactory } from '@hub/messaging';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { interceptionDetail, interceptionRowOf, maskedSubject } from './interception-events.js';

const NOW = new Date('2026-12-16T10:00:00+08:00');
const events = eventFactory({ producer: 'adapter-bank', topicPrefix: 't', now: () => NOW });
const NOTICE = '6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b';

const report = (over: Record<string, unknown> = {}, key = NOTICE) =>
  events.event('interceptions', key, 'interceptionReported', {
    reportId: 'r-1',
    partnerRef: 'ICBC-1',
    agency: 'bank',
    institution: 'ICBC',
    entryId: 'e-1',
    measure: 'dishonest-list',
    courtCode: '川0104',
    caseNo: '(2026)川0104执1234号',
    noticeId: NOTICE,
    action: 'loan',
    occurredAt: new Date('2026-12-10T09:30:00+08:00'),
    subjectMasked: '110105********002X',
    signatureJson: '{}',
    ...over,
  }).envelope;

describe('an interception report as the tracker keeps it', () => {
  it('never keeps an identifier in clear, and leaves a masked one as it is', () => {
    const id = fc.stringMatching(/^[0-9]{17}[0-9X]$/);
    fc.assert(
      fc.property(id, (raw) => {
        const kept = maskedSubject(raw);
        expect(kept).not.toBe(raw);
        expect(kept).toContain('*');
        expect(maskedSubject(kept)).toBe(kept);
      }),
    );
    expect(maskedSubject('110105********002X')).toBe('110105********002X');
  });

  it('is placed on the notice that placed the restriction, at the time the partner blocked the act', () => {
    const row = interceptionRowOf(report(), NOW)!;
    expect(row).toMatchObject({
      reportId: 'r-1',
      noticeId: NOTICE,
      occurredAt: new Date('2026-12-10T01:30:00Z'),
    });
    expect(interceptionDetail(row)).toBe('bank ICBC: loan (dishonest-list)');
  });

  it('falls back on the envelope’s notice and time, and keeps no notice id the timeline cannot hold', () => {
    const fallback = interceptionRowOf(
      report({ noticeId: '', occurredAt: undefined }, NOTICE.toUpperCase()),
      NOW,
    )!;
    expect(fallback).toMatchObject({ noticeId: NOTICE, occurredAt: NOW });
    expect(interceptionRowOf(report({ noticeId: 'not-a-notice' }, 'not-a-notice'), NOW)!.noticeId).toBeNull();
    expect(interceptionRowOf(report({ reportId: '' }), NOW)).toBeUndefined();
  });
});
