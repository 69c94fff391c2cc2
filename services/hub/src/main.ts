import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import {
  ConfigError,
  configProblemsText,
  type Logger,
  runUntilSignal,
  type ServiceApp,
  startLoopTrace,
  stopApps,
} from '@hub/service-kit';
import { selectServices } from './services.js';
import { checkConfigs, hubDeps, startStack } from './stack.js';
import type { ThreadData, ThreadMessage } from './thread.js';

// One process, many services (Mimir/Loki's monolithic mode): they still talk only over Kafka and gRPC,
// each with its own schema, so this mode cannot hide a coupling. Production runs each main.ts apart.
const { values } = parseArgs({ options: { services: { type: 'string', default: 'all' } } });
const names = selectServices(values.services ?? 'all');
const env = { ...process.env };
// Every service of this process shares one hub clock (and a scaled one needs a shared epoch).
env.HUB_CLOCK_EPOCH ??= String(Date.now());
const deps = hubDeps(env);
const { logger } = deps;

/**
 * HUB_THREADS (default `adapters`; `none` for a single thread): the four agency adapters run on a worker thread of
 * this process, an event loop of their own, instead of sharing the main thread's with every other service. One event
 * loop is what bounded the one-process hub under load while the machine had CPU to spare (docs/performance.md); a
 * thread gives the process a second one. The services still talk only over Kafka, HTTP and gRPC, as apart.
 */
function threadedServices(setting: string | undefined): string[] {
  const groups = (setting ?? 'adapters')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s && s !== 'none');
  const unknown = groups.filter((g) => g !== 'adapters');
  if (unknown.length > 0)
    throw new ConfigError(
      unknown.map((g) => ({
        variable: 'HUB_THREADS',
        problem: `names an unknown group ${g} (known: adapters, none)`,
      })),
    );
  const adapters = names.filter((n) => n.startsWith('adapter-'));
  // A thread only when the process runs something beside the adapters.
  return groups.includes('adapters') && adapters.length < names.length ? adapters : [];
}

/** Starts `threaded` on a worker thread; resolves once they listen, with the environment they leave for later services. */
function startThread(
  threaded: string[],
  log: Logger,
): Promise<{ app: ServiceApp; env: typeof env; urls: [string, string][] }> {
  const worker = new Worker(new URL('./thread-entry.mjs', import.meta.url), {
    workerData: { names: threaded, env } satisfies ThreadData,
  });
  let stopped: ((error: string | undefined) => void) | undefined;
  let stopping = false;
  return new Promise((resolve, reject) => {
    worker.on('message', (m: ThreadMessage) => {
      if (m.type === 'started') {
        const app: ServiceApp = {
          name: `thread(${threaded.join(',')})`,
          start: async () => undefined,
          // Fails, once the thread is gone, if any of its services failed to stop: the process then exits 1, as
          // when a service of the main thread fails to stop (stopApps).
          stop: () =>
            new Promise<string | undefined>((done) => {
              stopping = true;
              stopped = done;
              worker.postMessage({ type: 'stop' });
            }).then(async (error) => {
              await worker.terminate();
              if (error) throw new Error(`a service of the thread failed to stop: ${error}`);
            }),
        };
        resolve({ app, env: m.env, urls: m.urls });
      } else if (m.type === 'failed') {
        reject(new Error(m.message));
      } else if (m.type === 'stopped') {
        stopped?.(m.error);
      }
    });
    worker.on('error', (err) => {
      // A service of the thread failed as it would fail its own process: so does this one.
      log.fatal({ err, thread: threaded }, 'hub thread failed');
      process.exit(1);
    });
    worker.on('exit', (code) => {
      if (stopping) return;
      log.fatal({ code, thread: threaded }, 'hub thread exited');
      process.exit(1);
    });
  });
}

const apps: ServiceApp[] = [];
try {
  const threaded = threadedServices(env.HUB_THREADS);
  // Every service's configuration, the thread's too, before any starts: each problem named once, at once.
  checkConfigs(names, env);
  const urls = new Map<string, string>();
  if (threaded.length > 0) {
    const thread = await startThread(threaded, logger);
    Object.assign(env, thread.env);
    apps.push(thread.app);
    for (const [n, u] of thread.urls) urls.set(n, u);
  }
  const rest = names.filter((n) => !threaded.includes(n));
  const stack = await startStack(rest, env, deps);
  apps.push(...stack.apps.values());
  for (const [n, u] of stack.urls) urls.set(n, u);
  logger.info({ services: names, threaded, urls: Object.fromEntries(urls) }, 'hub running');
  // HUB_LOOP_TRACE=<file>: each second's event-loop delay and GC, for benchmarks (service-kit loop-trace.ts).
  if (env.HUB_LOOP_TRACE) startLoopTrace(env.HUB_LOOP_TRACE, names.length === 1 ? names[0]! : 'hub');
  runUntilSignal(apps, logger);
} catch (err) {
  logger.fatal({ err }, 'hub failed to start');
  if (err instanceof ConfigError) process.stderr.write(configProblemsText('hub', err));
  // Whatever already runs (the thread, services started before the failure) stops, all at once.
  await stopApps(apps, logger);
  process.exit(1);
}
