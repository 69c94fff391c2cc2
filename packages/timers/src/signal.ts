/**
 * Within one process: timers that became visible (their transaction committed), earliest due time per kind.
 * A sweeper sleeping until a later time wakes for them, so a timer due at once fires at once, and an idle
 * sweeper need not ask the table every 250 ms to find out. Timers written by another process (a replica) are
 * seen at the sweeper's next read, at most `maxSleepMs` later.
 */
type Listener = (earliest: ReadonlyMap<string, Date>) => void;

const listeners = new Set<Listener>();

export function onTimersScheduled(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function announceScheduled(earliest: ReadonlyMap<string, Date>): void {
  for (const listener of listeners) listener(earliest);
}
