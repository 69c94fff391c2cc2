import { describe, expect, it } from 'vitest';
import { queryBool } from './query-int.ts';

describe('queryBool', () => {
  it('reads `true` and `false` only; absent is the fallback, or undefined without one', () => {
    for (const schema of [queryBool(), queryBool(false), queryBool(true)]) {
      expect(schema.parse('true')).toBe(true);
      expect(schema.parse('false')).toBe(false);
      for (const word of ['1', '0', 'yes', 'TRUE', 'True', '', ' true', 'true '])
        expect(schema.safeParse(word).success, JSON.stringify(word)).toBe(false);
    }
    expect(queryBool().parse(undefined)).toBeUndefined();
    expect(queryBool(false).parse(undefined)).toBe(false);
    expect(queryBool(true).parse(undefined)).toBe(true);
  });
});
