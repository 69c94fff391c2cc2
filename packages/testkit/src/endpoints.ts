import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import { fileURLToPath } from 'node:url';

export interface Endpoints {
  kafkaBrokers: string[];
  databaseUrl: string;
  redisUrl: string;
}

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
export const DEFAULT_KAFKA = '127.0.0.1:9092';

export function canConnect(hostPort: string, timeoutMs = 1000): Promise<boolean> {
  const url = new URL(hostPort.includes('://') ? hostPort : `tcp://${hostPort}`);
  return new Promise((resolve) => {
    const socket = net.connect({ host: url.hostname, port: Number(url.port) });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export function dockerAvailable(): boolean {
  const r = spawnSync('docker', ['info'], { stdio: 'ignore', timeout: 5000 });
  return r.status === 0;
}

/** The project's own broker script (deploy/local/kafka.sh), if this checkout has it and Java runs. */
export function localKafkaScript(): string | undefined {
  const script = `${REPO_ROOT}deploy/local/kafka.sh`;
  if (!existsSync(script)) return undefined;
  return spawnSync('java', ['-version'], { stdio: 'ignore' }).status === 0 ? script : undefined;
}
