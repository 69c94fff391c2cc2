import { type ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

/**
 * The separate-process mode for the benchmark: every service its own Node process (as production runs
 * them), so the hub can use more than one core. Returns the gateway URL and a stop function.
 */
export async function startProcesses(env: Record<string, string | undefined>) {
  const names = [
    'tracker',
    'adapter-bank',
    'adapter-real-estate',
    'adapter-public-security',
    'adapter-provident-fund',
    'query',
    'gateway',
    'agency-sim',
  ];
  const p = Object.fromEntries(
    await Promise.all(
      ['gw', 'gwGrpc', 'tr', 'trGrpc', 'q', 'qGrpc', 'bank', 're', 'ps', 'pf', 'sim'].map(
        async (k) => [k, await freePort()] as const,
      ),
    ),
  );
  const all = {
    ...env,
    HUB_CLOCK_EPOCH: String(Date.now()),
    GATEWAY_PORT: String(p.gw),
    GATEWAY_GRPC_PORT: String(p.gwGrpc),
    TRACKER_PORT: String(p.tr),
    TRACKER_GRPC_PORT: String(p.trGrpc),
    TRACKER_GRPC_URL: `127.0.0.1:${p.trGrpc}`,
    QUERY_PORT: String(p.q),
    QUERY_GRPC_PORT: String(p.qGrpc),
    QUERY_GRPC_URL: `127.0.0.1:${p.qGrpc}`,
    ADAPTER_BANK_PORT: String(p.bank),
    ADAPTER_BANK_URL: `http://127.0.0.1:${p.bank}`,
    ADAPTER_REAL_ESTATE_PORT: String(p.re),
    ADAPTER_REAL_ESTATE_URL: `http://127.0.0.1:${p.re}`,
    ADAPTER_PUBLIC_SECURITY_PORT: String(p.ps),
    ADAPTER_PUBLIC_SECURITY_URL: `http://127.0.0.1:${p.ps}`,
    ADAPTER_PROVIDENT_FUND_PORT: String(p.pf),
    ADAPTER_PROVIDENT_FUND_URL: `http://127.0.0.1:${p.pf}`,
    AGENCY_SIM_PORT: String(p.sim),
  };
  const children: ChildProcess[] = names.map((name) =>
    spawn(process.execPath, ['--import', 'tsx', `services/${name}/src/main.ts`], {
      cwd: ROOT,
      env: all,
      stdio: ['ignore', 'ignore', 'inherit'],
    }),
  );
  const ready = async (port: number) => {
    const deadline = Date.now() + 90_000;
    for (;;) {
      const ok = await fetch(`http://127.0.0.1:${port}/readyz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return;
      if (Date.now() > deadline) throw new Error(`service on port ${port} not ready`);
      await new Promise((r) => setTimeout(r, 250));
    }
  };
  await Promise.all([p.tr, p.q, p.bank, p.re, p.ps, p.pf, p.gw, p.sim].map((port) => ready(port!)));
  return {
    gateway: `http://127.0.0.1:${p.gw}`,
    async stop() {
      await Promise.all(
        children.map(
          (c) =>
            new Promise<void>((resolve) => {
              if (c.exitCode !== null) return resolve();
              c.once('exit', () => resolve());
              c.kill('SIGTERM');
            }),
        ),
      );
    },
  };
}
