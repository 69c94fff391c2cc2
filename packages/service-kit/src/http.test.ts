import fc from 'fast-check';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createHttpServer } from './http.js';
import { registerErrorHandling } from './http-errors.js';
import { createLogger } from './logger.js';

function app() {
  const http = createHttpServer({
    logger: createLogger({ service: 't', level: 'silent' }),
    registry: new Registry(),
    readiness: [],
  });
  registerErrorHandling(http);
  http.get('/search', async (request) => ({ query: request.query }));
  return http;
}

describe('query strings no database can hold', () => {
  it('are a 400 naming the parameter on every route, before the handler (a NUL reached PostgreSQL: a 500)', async () => {
    const http = app();
    const cases: [string, string, string][] = [
      ['q=%00', 'q', 'NUL_CHARACTER'],
      ['q=ok&caseNo=a%00b', 'caseNo', 'NUL_CHARACTER'],
      ['q=a&q=%00', 'q', 'NUL_CHARACTER'],
      ['%00=1', '"\\u0000"', 'NUL_CHARACTER'],
    ];
    for (const [qs, path, code] of cases) {
      const res = await http.inject({ url: `/search?${qs}` });
      expect(res.statusCode, qs).toBe(400);
      expect(res.json().error).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path, code }] });
    }
    expect((await http.inject({ url: '/search?q=%E4%B8%AD%E6%96%87&x=%E2%80%8B' })).statusCode).toBe(200);
    expect((await http.inject({ url: '/healthz' })).statusCode).toBe(200);
  });

  it('never turn a query string into a 5xx', async () => {
    const http = app();
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.string(), fc.string()), async (q) => {
        const qs = Object.entries(q)
          .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
          .join('&');
        const res = await http.inject({ url: `/search?${qs}` });
        expect([200, 400]).toContain(res.statusCode);
      }),
      { numRuns: 300 },
    );
  });
});
