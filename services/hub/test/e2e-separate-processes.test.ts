import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import net from 'node:net';
import { hubEnv, isolate, REPO_ROOT, waitFor } from '@hub/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryNotice } from './demo-notice.js';

const iso = isolate();
const procs = new Map<string, { child: ChildProcess; output: string[] }>();

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

function startService(name: string, env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', `services/${name}/src/main.ts`], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stdout!.on('data', (d) => output.push(String(d)));
  child.stderr!.on('data', (d) => output.push(String(d)));
  procs.set(name, { child, output });
}

async function ready(url: string) {
  await waitFor(async () => (await fetch(`${url}/readyz`)).ok, {
    what: `${url} ready`,
    timeoutMs: 60_000,
    intervalMs: 250,
  });
}

let gateway = '';

beforeAll(async () => {
  const [gw, gwGrpc, tr, trGrpc, q, qGrpc, bank, re, ps, pf, sim] = await Promise.all(
    Array.from({ length: 11 }, freePort),
  );
  const env = hubEnv(iso, {
    HUB_CLOCK_EPOCH: String(Date.now()),
    GATEWAY_PORT: String(gw),
    GATEWAY_GRPC_PORT: String(gwGrpc),
    TRACKER_PORT: String(tr),
    TRACKER_GRPC_PORT: String(trGrpc),
    TRACKER_GRPC_URL: `127.0.0.1:${trGrpc}`,
    QUERY_PORT: String(q),
    QUERY_GRPC_PORT: String(qGrpc),
    QUERY_GRPC_URL: `127.0.0.1:${qGrpc}`,
    ADAPTER_BANK_PORT: String(bank),
    ADAPTER_BANK_URL: `http://127.0.0.1:${bank}`,
    ADAPTER_REAL_ESTATE_PORT: String(re),
    ADAPTER_REAL_ESTATE_URL: `http://127.0.0.1:${re}`,
    ADAPTER_PUBLIC_SECURITY_PORT: String(ps),
    ADAPTER_PUBLIC_SECURITY_URL: `http://127.0.0.1:${ps}`,
    ADAPTER_PROVIDENT_FUND_PORT: String(pf),
    ADAPTER_PROVIDENT_FUND_URL: `http://127.0.0.1:${pf}`,
    AGENCY_SIM_PORT: String(sim),
  });
  const names = [
    'tracker',
    'adapter-bank',
    'adapter-real-estate',
    'adapter-public-security',
    'adapter-provident-fund',
  ];
  for (const name of [...names, 'query', 'gateway', 'agency-sim']) startService(name, env);
  gateway = `http://127.0.0.1:${gw}`;
  await Promise.all([tr, q, bank, re, ps, pf, gw, sim].map((p) => ready(`http://127.0.0.1:${p}`)));
});

afterAll(async () => {
  for (const { child } of procs.values()) if (child.exitCode === null) child.kill('SIGKILL');
  await iso.cleanup();
});

describe('separate-process mode', () => {
  it('completes a notice with every service in its own process, and each stops cleanly on SIGTERM', async () => {
    const auth = { authorization: 'Bearer demo-court-key' };
    const res = await fetch(`${gateway}/v1/notices`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify(queryNotice()),
    });
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };
    const body = await waitFor(
      async () => {
        const r = (await (await fetch(`${gateway}/v1/notices/${id}`, { headers: auth })).json()) as {
          status: string;
          requests: { status: string }[];
        };
        return r.status === 'completed' ? r : undefined;
      },
      { what: 'notice completed across processes', timeoutMs: 60_000, intervalMs: 250 },
    );
    // six banks and three registration centres (the notice targets bank and real-estate)
    expect(body.requests.filter((r) => r.status === 'done')).toHaveLength(9);

    for (const [name, { child, output }] of [...procs].reverse()) {
      child.kill('SIGTERM');
      const [code] = (await once(child, 'exit')) as [number | null];
      expect({ name, code, tail: code === 0 ? '' : output.join('').slice(-2000) }).toEqual({
        name,
        code: 0,
        tail: '',
      });
    }
  });
});
