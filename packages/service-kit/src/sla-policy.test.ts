import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_SLA, slaFor } from '@hub/domain';
import { describe, expect, it } from 'vitest';
import { ConfigError } from './config.js';
import { loadSlaPolicy } from './sla-policy.js';

const dir = mkdtempSync(join(tmpdir(), 'hub-sla-'));
const file = (name: string, body: unknown) => {
  const path = join(dir, name);
  writeFileSync(path, typeof body === 'string' ? body : JSON.stringify(body));
  return path;
};

describe('loadSlaPolicy (HUB_SLA_POLICY_FILE)', () => {
  it('is the shipped, versioned default without a file', () => {
    expect(loadSlaPolicy(undefined)).toBe(DEFAULT_SLA);
    expect(DEFAULT_SLA.version).toBe('default');
  });

  it('loads a versioned policy with its source', () => {
    const loaded = loadSlaPolicy(
      file('ok.json', {
        version: 'sla-2027-01',
        source: '与工商银行备忘录 2027',
        rules: [{ agency: 'bank', measures: ['query'], acknowledge: { minutes: 5 }, answer: { hours: 2 } }],
        fallback: { acknowledge: { hours: 1 }, answer: { hours: 24 }, escalate: { hours: 12 } },
      }),
    );
    expect(loaded.version).toBe('sla-2027-01');
    expect(loaded.source).toBe('与工商银行备忘录 2027');
    expect(slaFor(loaded.policy, 'bank', 'query')).toEqual({
      acknowledge: { minutes: 5 },
      answer: { hours: 2 },
      escalate: { hours: 2 },
    });
    expect(slaFor(loaded.policy, 'real-estate', 'seal').escalate).toEqual({ hours: 12 });
  });

  it.each([
    ['a missing file', join(dir, 'absent.json')],
    ['a file that is not JSON', file('bad.json', '{')],
    ['a policy without a version', file('unversioned.json', { source: 's', rules: [], fallback: {} })],
    [
      'a rule for an unknown agency',
      file('agency.json', {
        version: 'v',
        source: 's',
        rules: [{ agency: 'bakery', measures: ['query'], acknowledge: { hours: 1 }, answer: { hours: 1 } }],
        fallback: { acknowledge: { hours: 1 }, answer: { hours: 24 } },
      }),
    ],
  ])('fails fast naming the variable for %s', (_, path) => {
    expect(() => loadSlaPolicy(path)).toThrow(ConfigError);
    try {
      loadSlaPolicy(path);
    } catch (err) {
      expect((err as ConfigError).problems[0]?.variable).toBe('HUB_SLA_POLICY_FILE');
    }
  });
});
