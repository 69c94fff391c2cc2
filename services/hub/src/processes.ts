import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { isMeasureService } from '@hub/domain';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Every service, in start order, as production runs them: each its own process. */
export const SEPARATE_SERVICES = [
  'tracker',
  'adapter-bank',
  'adapter-real-estate',
  'adapter-public-security',
  'adapter-provident-fund',
  'query',
  'freeze-deduct',
  'punishment',
  'gateway',
  'agency-sim',
] as const;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

export interface RunningProcesses {
  gateway: string;
  /** Each service's process and everything it wrote (stdout and stderr). */
  processes: Map<string, { child: ChildProcess; output: string[] }>;
  /** SIGTERM every service at once; resolves with each one's exit code once all have exited. */
  stop(): Promise<Map<string, number | null>>;
  /** SIGKILL whatever still runs (cleanup after a failed test). */
  kill(): void;
  /** Where a service's HTTP server (health, metrics, its API) listens. */
  url(name: SeparateService): string;
  /**
   * SIGKILL one service (kill -9: no shutdown of any kind) and wait until it is gone; `hub` is the one-process hub,
   * every service it runs at once.
   */
  crash(name: SeparateService | 'hub'): Promise<void>;
  /**
   * Start one stopped service (or the one-process `hub`) again, as it was started, on its ports, with `env` over the
   * shared environment; resolves when ready.
   */
  restart(name: SeparateService | 'hub', env?: Record<string, string | undefined>): Promise<void>;
}

export type SeparateService = (typeof SEPARATE_SERVICES)[number];

/**
 * The separate-process mode on one machine: free ports for everyone, one shared hub-clock epoch, every
 * service started with `node --import tsx services/<name>/src/main.ts`, resolved once all are ready.
 */
export async function startProcesses(
  env: Record<string, string | undefined>,
  options: StartOptions = {},
): Promise<RunningProcesses> {
  // The free ports are found before the processes bind them: a test running beside may take one in between
  // (EADDRINUSE). Start again on fresh ports then, a few times, rather than fail a test over the race.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(env, options);
    } catch (err) {
      if (attempt >= 3 || !/EADDRINUSE/.test((err as Error).message)) throw err;
    }
  }
}

interface StartOptions {
  oneProcess?: boolean;
  /**
   * With oneProcess: the mock agencies (agency-sim) in a process of their own, as partners are never in the
   * hub's: the hub's process then holds only the hub's services, and its CPU is the hub's alone.
   */
  agenciesApart?: boolean;
}

async function startOnce(
  env: Record<string, string | undefined>,
  options: StartOptions,
): Promise<RunningProcesses> {
  const keys = [
    'gw',
    'gwGrpc',
    'tr',
    'trGrpc',
    'q',
    'qGrpc',
    'fd',
    'fdGrpc',
    'pu',
    'puGrpc',
    'bank',
    're',
    'ps',
    'pf',
    'sim',
  ] as const;
  const ports = Object.fromEntries(
    await Promise.all(keys.map(async (k) => [k, await freePort()] as const)),
  ) as Record<(typeof keys)[number], number>;
  const all = {
    ...env,
    HUB_CLOCK_EPOCH: env.HUB_CLOCK_EPOCH ?? String(Date.now()),
    // The gateway takes in the measures of the measure services started here, as in one-process mode.
    HUB_MEASURE_SERVICES: env.HUB_MEASURE_SERVICES ?? SEPARATE_SERVICES.filter(isMeasureService).join(','),
    GATEWAY_PORT: String(ports.gw),
    GATEWAY_GRPC_PORT: String(ports.gwGrpc),
    TRACKER_PORT: String(ports.tr),
    TRACKER_GRPC_PORT: String(ports.trGrpc),
    TRACKER_GRPC_URL: `127.0.0.1:${ports.trGrpc}`,
    QUERY_PORT: String(ports.q),
    QUERY_GRPC_PORT: String(ports.qGrpc),
    QUERY_GRPC_URL: `127.0.0.1:${ports.qGrpc}`,
    FREEZE_DEDUCT_PORT: String(ports.fd),
    FREEZE_DEDUCT_GRPC_PORT: String(ports.fdGrpc),
    FREEZE_DEDUCT_GRPC_URL: `127.0.0.1:${ports.fdGrpc}`,
    PUNISHMENT_PORT: String(ports.pu),
    PUNISHMENT_GRPC_PORT: String(ports.puGrpc),
    PUNISHMENT_GRPC_URL: `127.0.0.1:${ports.puGrpc}`,
    ADAPTER_BANK_PORT: String(ports.bank),
    ADAPTER_BANK_URL: `http://127.0.0.1:${ports.bank}`,
    ADAPTER_REAL_ESTATE_PORT: String(ports.re),
    ADAPTER_REAL_ESTATE_URL: `http://127.0.0.1:${ports.re}`,
    ADAPTER_PUBLIC_SECURITY_PORT: String(ports.ps),
    ADAPTER_PUBLIC_SECURITY_URL: `http://127.0.0.1:${ports.ps}`,
    ADAPTER_PROVIDENT_FUND_PORT: String(ports.pf),
    ADAPTER_PROVIDENT_FUND_URL: `http://127.0.0.1:${ports.pf}`,
    AGENCY_SIM_PORT: String(ports.sim),
  };
  const processes = new Map<string, { child: ChildProcess; output: string[] }>();
  const launchedWith = new Map<string, readonly string[]>();
  const launch = (
    name: SeparateService | 'hub',
    extra: Record<string, string | undefined> = {},
    args: readonly string[] = [],
  ) => {
    // HUB_CPU_PROFILE_DIR: each process writes a V8 CPU profile there when it exits (profiling the bench).
    const profile = env.HUB_CPU_PROFILE_DIR
      ? ['--cpu-prof', `--cpu-prof-dir=${env.HUB_CPU_PROFILE_DIR}`]
      : [];
    const child = spawn(
      process.execPath,
      [...profile, '--import', 'tsx', `services/${name}/src/main.ts`, ...args],
      {
        cwd: ROOT,
        env: { ...all, ...extra },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const output: string[] = [];
    child.stdout!.on('data', (d) => output.push(String(d)));
    child.stderr!.on('data', (d) => output.push(String(d)));
    processes.set(name, { child, output });
    launchedWith.set(name, args);
  };
  // One process (services/hub/src/main.ts: every service in one event loop, on the same ports) or one each.
  if (options.oneProcess && options.agenciesApart) {
    launch('hub', {}, ['--services', SEPARATE_SERVICES.filter((n) => n !== 'agency-sim').join(',')]);
    launch('agency-sim');
  } else if (options.oneProcess) launch('hub');
  else for (const name of SEPARATE_SERVICES) launch(name);
  const httpPort: Record<SeparateService, number> = {
    tracker: ports.tr,
    'adapter-bank': ports.bank,
    'adapter-real-estate': ports.re,
    'adapter-public-security': ports.ps,
    'adapter-provident-fund': ports.pf,
    query: ports.q,
    'freeze-deduct': ports.fd,
    punishment: ports.pu,
    gateway: ports.gw,
    'agency-sim': ports.sim,
  };
  const kill = () => {
    for (const { child } of processes.values()) if (child.exitCode === null) child.kill('SIGKILL');
  };
  /** Until the service on `port` is ready; a process of `watched` that exits meanwhile fails it at once. */
  const ready = async (port: number, watched: readonly string[]) => {
    const deadline = Date.now() + 90_000;
    for (;;) {
      for (const name of watched) {
        const child = processes.get(name)?.child;
        if (child && (child.exitCode !== null || child.signalCode !== null))
          throw new Error(`${name} exited before the service on port ${port} was ready`);
      }
      const ok = await fetch(`http://127.0.0.1:${port}/readyz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return;
      if (Date.now() > deadline) throw new Error(`the service on port ${port} did not become ready`);
      await new Promise((r) => setTimeout(r, 250));
    }
  };
  try {
    await Promise.all(
      [ports.tr, ports.q, ports.fd, ports.bank, ports.re, ports.ps, ports.pf, ports.gw, ports.sim].map((p) =>
        ready(p, [...processes.keys()]),
      ),
    );
  } catch (err) {
    kill();
    // Say why: each process's last output (a port taken, a migration refused, an exit), not only which port.
    const tails = [...processes].map(([name, { child, output }]) => {
      const exit = child.exitCode ?? child.signalCode ?? 'running';
      return `--- ${name} (exit: ${exit}), last output:\n${output.join('').slice(-3000)}`;
    });
    throw new Error(`${(err as Error).message}\n${tails.join('\n')}`);
  }
  return {
    gateway: `http://127.0.0.1:${ports.gw}`,
    processes,
    kill,
    url: (name) => `http://127.0.0.1:${httpPort[name]}`,
    async crash(name) {
      const running = processes.get(name);
      if (!running) throw new Error(`${name} does not run in its own process here`);
      const { child } = running;
      if (child.exitCode !== null || child.signalCode !== null) return;
      const gone = once(child, 'exit');
      child.kill('SIGKILL');
      await gone;
    },
    async restart(name, env = {}) {
      launch(name, env, launchedWith.get(name) ?? []);
      // The one-process hub is ready when every service it runs is.
      const hubPorts = [ports.tr, ports.q, ports.fd, ports.bank, ports.re, ports.ps, ports.pf, ports.gw];
      if (name === 'hub') await Promise.all(hubPorts.map((p) => ready(p, [name])));
      else await ready(httpPort[name], [name]);
    },
    async stop() {
      // All at once, as an orchestrator stops a deployment's containers: each process stops in 2–3 s (its consumers'
      // fetches in flight, its leases held open), and one after another the eleven took 21 s.
      const codes = new Map<string, number | null>();
      await Promise.all(
        [...processes].map(async ([name, { child }]) => {
          if (child.exitCode === null && child.signalCode === null) {
            const exited = once(child, 'exit');
            child.kill('SIGTERM');
            await exited;
          }
          codes.set(name, child.exitCode);
        }),
      );
      return codes;
    },
  };
}
