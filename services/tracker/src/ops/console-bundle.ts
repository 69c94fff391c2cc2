import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ENTRY = fileURLToPath(new URL('./console/main.ts', import.meta.url));
const TSCONFIG = fileURLToPath(new URL('./console/tsconfig.json', import.meta.url));

let bundled: Promise<string> | undefined;

/**
 * The console's script: its TypeScript modules (console/*.ts) bundled into one ES module in memory, once
 * per process, so the page needs no build step and no inline script. A module that fails to build fails the
 * tracker's start, not the first page view.
 */
export function consoleScript(): Promise<string> {
  bundled ??= build({
    entryPoints: [ENTRY],
    tsconfig: TSCONFIG,
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    legalComments: 'none',
    logLevel: 'silent',
  }).then((result) => result.outputFiles[0]!.text);
  return bundled;
}
