import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, commonEnv, parseEnv } from './config.js';

const schema = z.object({ ...commonEnv, SOME_PORT: z.coerce.number().int().max(65535).default(1) });

describe('parseEnv', () => {
  it('applies defaults and returns a frozen typed object', () => {
    const c = parseEnv(schema, {});
    expect(c.KAFKA_BROKERS).toEqual(['127.0.0.1:9092']);
    expect(c.HUB_INSTITUTIONS.get('bank')).toHaveLength(6);
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('fails fast naming every bad variable', () => {
    try {
      parseEnv(schema, { SOME_PORT: '99999', DATABASE_URL: 'not a url', HUB_INSTITUTIONS: 'bank' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const vars = (err as ConfigError).problems.map((p) => p.variable).sort();
      expect(vars).toEqual(['DATABASE_URL', 'HUB_INSTITUTIONS', 'SOME_PORT']);
    }
  });
});
