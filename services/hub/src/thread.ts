/**
 * A worker thread of the one-process hub (main.ts, HUB_THREADS): runs some of its services on an event loop of their
 * own, in the same process. It starts them, tells the main thread where they listen, and stops them when asked.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { ConfigError, configProblemsText } from '@hub/service-kit';
import { hubDeps, startStack } from './stack.js';

export interface ThreadData {
  names: string[];
  env: Record<string, string | undefined>;
}

/** What a thread tells the main thread. */
export type ThreadMessage =
  | { type: 'started'; env: Record<string, string | undefined>; urls: [string, string][] }
  | { type: 'failed'; message: string }
  | { type: 'stopped'; error?: string };

const port = parentPort;
if (!port) throw new Error('thread.ts runs as a worker thread of services/hub/src/main.ts');
const { names, env } = workerData as ThreadData;
const deps = hubDeps(env);
const send = (m: ThreadMessage) => port.postMessage(m);

try {
  const stack = await startStack(names, env, deps);
  port.on('message', (m: { type?: string }) => {
    if (m?.type !== 'stop') return;
    stack.stop().then(
      () => send({ type: 'stopped' }),
      (err: unknown) => send({ type: 'stopped', error: String((err as Error)?.message ?? err) }),
    );
  });
  send({ type: 'started', env: stack.env, urls: [...stack.urls] });
} catch (err) {
  send({
    type: 'failed',
    message:
      err instanceof ConfigError ? configProblemsText('hub', err) : String((err as Error)?.stack ?? err),
  });
}
