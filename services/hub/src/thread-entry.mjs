// A worker thread of the one-process hub (main.ts, HUB_THREADS) starts here: `node --import tsx` registers tsx's
// loader on the main thread only, so the thread registers it itself before loading its TypeScript.
import { register } from 'tsx/esm/api';

register();
await import('./thread.ts');
