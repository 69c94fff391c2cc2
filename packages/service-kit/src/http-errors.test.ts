import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { registerErrorHandling } from './http-errors.js';

function appThrowing(err: unknown) {
  const app = Fastify({ logger: false });
  registerErrorHandling(app);
  app.get('/', async () => {
    throw err;
  });
  return app;
}

describe('registerErrorHandling', () => {
  it.each([
    [
      'a refused connection',
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), { code: 'ECONNREFUSED' }),
    ],
    [
      'ioredis giving up on a command',
      Object.assign(new Error('Reached the max retries'), { name: 'MaxRetriesPerRequestError' }),
    ],
    ['a closed Redis connection', new Error('Connection is closed.')],
  ])('answers 503 UNAVAILABLE for %s, not a 500', async (_, err) => {
    const res = await appThrowing(err).inject({ url: '/' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ error: { code: 'UNAVAILABLE' } });
  });

  it('keeps a genuine fault a 500 that leaks nothing', async () => {
    const res = await appThrowing(new TypeError('x is undefined at secret.ts:12')).inject({ url: '/' });
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain('secret.ts');
  });
});
