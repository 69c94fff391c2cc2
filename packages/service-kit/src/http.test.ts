import { type AddressInfo, connect, type Socket } from 'node:net';
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

describe('a request while the service stops', () => {
  it('is a 503 in the hub error format with a stable code and Retry-After, not fastify’s own body', async () => {
    const http = app();
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    let arrived!: () => void;
    const inFlight = new Promise<void>((r) => {
      arrived = r;
    });
    // A request in flight when the stop begins, answered once the test lets it.
    http.get('/slow', async () => {
      arrived();
      await held;
      return { ok: true };
    });
    // The slow request is answered once the stop has begun (this hook runs after the service's own).
    let socket!: Socket;
    http.addHook('preClose', (done) => {
      // The second request on the kept-alive connection, sent once the stop has begun.
      socket.write('GET /search?q=1 HTTP/1.1\r\nHost: x\r\n\r\n', () => setTimeout(release, 50));
      done();
    });
    await http.listen({ port: 0, host: '127.0.0.1' });
    const { port } = http.server.address() as AddressInfo;
    // Two requests on one kept-alive connection: the second reaches the service after the stop began.
    socket = connect(port, '127.0.0.1');
    let raw = '';
    socket.on('data', (d) => {
      raw += d.toString();
    });
    const ended = new Promise<void>((r) => socket.on('close', () => r()));
    socket.write('GET /slow HTTP/1.1\r\nHost: x\r\n\r\n');
    await inFlight;
    // The 503 closes the connection, and the stop completes.
    await http.close();
    await ended;
    const [, second] = raw.split(/(?=HTTP\/1\.1 )/);
    expect(raw).toMatch(/^HTTP\/1\.1 200/);
    expect(second).toMatch(/^HTTP\/1\.1 503/);
    expect(second).toMatch(/retry-after: 1/i);
    expect(JSON.parse(second!.slice(second!.indexOf('\r\n\r\n') + 4)).error).toMatchObject({
      code: 'UNAVAILABLE',
    });
  });
});
