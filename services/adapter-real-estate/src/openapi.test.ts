import { systemClock } from '@hub/domain';
import { createLogger } from '@hub/service-kit';
import { describe, expect, it } from 'vitest';
import { buildApp, loadConfig } from './app.js';

describe('real-estate adapter OpenAPI', () => {
  it('documents every agency route, the signature headers and the per-measure answer results', async () => {
    const app = buildApp(loadConfig({ HUB_DEMO: '1' }), {
      logger: createLogger({ service: 't', level: 'silent' }),
      clock: systemClock,
    });
    await app.http.ready();
    const res = await app.http.inject({ url: '/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/v1/agency/acks',
      '/v1/agency/answers',
      '/v1/agency/hold-changes',
      '/v1/agency/hold-changes/batch',
      '/v1/agency/inbox',
      '/v1/agency/interception/check',
      '/v1/agency/interception/checks',
      '/v1/agency/interceptions',
      '/v1/agency/interceptions/batch',
      '/v1/agency/requests/{id}/ack',
      '/v1/agency/requests/{id}/answer',
      '/v1/agency/reuse-records',
    ]);
    expect(doc.info.description).toContain('x-agency-signature');
    const titles = doc.components.schemas.AnswerResult.anyOf.map((s: { title: string }) => s.title);
    expect(titles).toEqual(expect.arrayContaining(['query', 'seal', 'unseal', 'dishonest-list']));
    const query = doc.components.schemas.AnswerResult.anyOf.find(
      (s: { title: string }) => s.title === 'query',
    );
    expect(JSON.stringify(query)).toContain('unitNo');
    // Hold-change reports: one schema, every change documented, referenced by both routes.
    const report = JSON.stringify(doc.components.schemas.HoldChangeReport);
    for (const change of ['promoted', 'lapsed', 'released-by-other-court', 'deducted', 'disposed'])
      expect(report).toContain(change);
    expect(JSON.stringify(doc.paths['/v1/agency/hold-changes'].post)).toContain('HoldChangeReport');
    expect(JSON.stringify(doc.paths['/v1/agency/hold-changes/batch'].post)).toContain('HoldChangeReport');
    // Interception: the check documents its answer (entries) and its refusals, the 503 included.
    const check = doc.paths['/v1/agency/interception/check'].post;
    expect(Object.keys(check.responses)).toEqual(expect.arrayContaining(['200', '400', '401', '503']));
    expect(JSON.stringify(check.responses['200'])).toContain('entryId');
    expect(JSON.stringify(doc.paths['/v1/agency/interceptions'].post)).toContain('property-transfer');
    await app.http.close();
  });
});
