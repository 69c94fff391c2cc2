import { spawn } from 'node:child_process';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { loadAdapterConfig } from '@hub/agency-kit';
import { loadConfig as loadGatewayConfig } from '@hub/gateway';
import { ConfigError } from '@hub/service-kit';
import { describe, expect, it } from 'vitest';
import { SERVICE_MODULES } from '../src/services.js';
import { checkConfigs } from '../src/stack.js';

// Nothing is open by default: the published demo credentials (demo-court-key, <institution>-demo-secret, seals
// derived from the court code) exist only in demo mode (HUB_DEMO=1). Outside it a service whose credentials are
// unset does not start, naming each one. (The suite itself runs in demo mode: vitest.config.ts sets HUB_DEMO.)

/** The credential variables each service needs outside demo mode. */
const NEEDED: Record<string, string[]> = {
  tracker: [],
  'adapter-bank': ['ADAPTER_BANK_KEYS', 'HUB_COURT_SEAL_PUBLIC_KEYS'],
  'adapter-real-estate': ['ADAPTER_REAL_ESTATE_KEYS', 'HUB_COURT_SEAL_PUBLIC_KEYS'],
  'adapter-public-security': ['ADAPTER_PUBLIC_SECURITY_KEYS', 'HUB_COURT_SEAL_PUBLIC_KEYS'],
  'adapter-provident-fund': ['ADAPTER_PROVIDENT_FUND_KEYS', 'HUB_COURT_SEAL_PUBLIC_KEYS'],
  query: ['HUB_COURT_SEAL_PUBLIC_KEYS'],
  'freeze-deduct': [],
  punishment: [],
  gateway: ['GATEWAY_COURT_KEYS', 'GATEWAY_SEAL_KEYS'],
  'agency-sim': [
    'ADAPTER_BANK_KEYS',
    'ADAPTER_REAL_ESTATE_KEYS',
    'ADAPTER_PUBLIC_SECURITY_KEYS',
    'ADAPTER_PROVIDENT_FUND_KEYS',
  ],
};

const problemsOf = (f: () => unknown): string[] => {
  try {
    f();
  } catch (err) {
    if (err instanceof ConfigError) return err.problems.map((p) => p.variable).sort();
    throw err;
  }
  return [];
};

/** Runs a main (relative to this file) with no credential and outside demo mode, until it exits. */
async function runWithoutCredentials(relative: string) {
  const env: NodeJS.ProcessEnv = { ...process.env, HUB_NAMESPACE: 'credcheck', LOG_LEVEL: 'info' };
  delete env.HUB_DEMO;
  for (const v of Object.values(NEEDED).flat()) delete env[v];
  const main = fileURLToPath(new URL(relative, import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', main], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => {
    out += String(d);
  });
  child.stderr.on('data', (d) => {
    err += String(d);
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { code, out, err };
}

describe('credentials outside demo mode', () => {
  it('covers every service the hub runs', () => {
    expect(Object.keys(NEEDED).sort()).toEqual(Object.keys(SERVICE_MODULES).sort());
  });

  it.each(Object.keys(NEEDED))(
    '%s names each credential it lacks and starts on the demo ones only in demo mode',
    (name) => {
      const load = (env: Record<string, string>) => () => SERVICE_MODULES[name]!.loadConfig(env);
      // agency-sim reads the adapters' keys one kind at a time, so it names the first it misses.
      const missing = problemsOf(load({}));
      if (name === 'agency-sim') expect(missing).toEqual(['ADAPTER_BANK_KEYS']);
      else expect(missing).toEqual([...NEEDED[name]!].sort());
      for (const off of ['0', 'false']) expect(problemsOf(load({ HUB_DEMO: off }))).toEqual(missing);
      // Blank is unset, not an empty key list.
      const blank = Object.fromEntries(NEEDED[name]!.map((v) => [v, ' ']));
      if (name !== 'agency-sim') expect(problemsOf(load(blank))).toEqual(missing);
      expect(problemsOf(load({ HUB_DEMO: '1' }))).toEqual([]);
    },
  );

  it('the whole hub names every missing credential once, before any service starts', () => {
    const all = [...new Set(Object.values(NEEDED).flat())].sort();
    expect(problemsOf(() => checkConfigs(Object.keys(SERVICE_MODULES), {}))).toEqual(all);
    expect(problemsOf(() => checkConfigs(Object.keys(SERVICE_MODULES), { HUB_DEMO: '1' }))).toEqual([]);
  });

  it('a credential that names no key (`,`) or a malformed one stops the hub before any service starts, each named', () => {
    const all = Object.keys(SERVICE_MODULES);
    const env = {
      GATEWAY_COURT_KEYS: 'a-real-court-key-0001=川0104',
      GATEWAY_SEAL_KEYS: ',',
      HUB_COURT_SEAL_PUBLIC_KEYS: '=',
      ADAPTER_BANK_KEYS: ',',
      ADAPTER_REAL_ESTATE_KEYS: 'REC-510100=a-real-secret-0002',
      ADAPTER_PUBLIC_SECURITY_KEYS: 'PSB-510100=a-real-secret-0003',
      ADAPTER_PROVIDENT_FUND_KEYS: 'PF-510100=a-real-secret-0004',
    };
    expect(problemsOf(() => checkConfigs(all, env))).toEqual([
      'ADAPTER_BANK_KEYS',
      'GATEWAY_SEAL_KEYS',
      'HUB_COURT_SEAL_PUBLIC_KEYS',
    ]);
    // Even in demo mode a key list given is a key list: `,` is not "use the demo keys".
    expect(problemsOf(() => checkConfigs(['gateway'], { ...env, HUB_DEMO: '1' }))).toEqual([
      'GATEWAY_SEAL_KEYS',
    ]);
  });

  it('configured credentials replace the demo ones, which then open nothing', async () => {
    const seal = generateKeyPairSync('ed25519');
    const der = (k: KeyObject, type: 'pkcs8' | 'spki') =>
      `川0104=${k.export({ format: 'der', type } as never).toString('base64')}`;
    const gateway = loadGatewayConfig({
      GATEWAY_COURT_KEYS: 'a-real-court-key-0001=川0104',
      GATEWAY_SEAL_KEYS: der(seal.privateKey, 'pkcs8'),
    });
    expect([...gateway.GATEWAY_COURT_KEYS]).toEqual([['a-real-court-key-0001', '川0104']]);
    expect([...loadGatewayConfig({ HUB_DEMO: '1' }).GATEWAY_COURT_KEYS]).toEqual([
      ['demo-court-key', '川0104'],
    ]);
    const bank = loadAdapterConfig('bank', {
      ADAPTER_BANK_KEYS: 'ICBC=a-real-bank-secret-1',
      HUB_COURT_SEAL_PUBLIC_KEYS: der(seal.publicKey, 'spki'),
    });
    expect([...bank.keys]).toEqual([['ICBC', 'a-real-bank-secret-1']]);
  });

  it('npm start without credentials exits 1 naming them, and starts nothing', async () => {
    const { code, out, err } = await runWithoutCredentials('../src/main.ts');
    expect(code).toBe(1);
    expect(err).toContain('hub: cannot start, the configuration is incomplete');
    for (const v of new Set(Object.values(NEEDED).flat())) expect(err).toContain(`  ${v} is required`);
    expect(out).not.toMatch(/listening|migrated/);
  });

  it.each(['gateway', 'adapter-bank'])(
    "%s's own process without credentials says the same, without a stack trace, and starts nothing",
    async (service) => {
      const { code, out, err } = await runWithoutCredentials(`../../${service}/src/main.ts`);
      expect(code).toBe(1);
      expect(err).toContain(`${service}: cannot start, the configuration is incomplete:\n`);
      for (const v of NEEDED[service]!) expect(err).toContain(`  ${v} is required`);
      expect(err).not.toMatch(/^\s+at /m);
      expect(out).not.toMatch(/listening|migrated/);
    },
  );
});
