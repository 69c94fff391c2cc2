/**
 * Group commit for calls that arrive together: every call made in one turn of the event loop, and every call
 * made while a group is in flight, runs in the next group, one statement for all (`run` gets them in the order
 * they came and returns one result per call). Alone, a call waits for nobody: the first call of a turn
 * schedules the group with setImmediate, which runs once the turn's I/O callbacks are done.
 *
 * One caller's bad input must not fail another's: when a group of several fails and `isolate(err)` says the
 * failure may belong to one call's data (not the database being unavailable), each call runs again alone and
 * gets its own result or error. Otherwise every call of the group gets the group's error.
 */
export class GroupCommit<I, R> {
  private queue: { item: I; resolve: (r: R) => void; reject: (e: unknown) => void }[] = [];
  private scheduled = false;
  private running = false;

  constructor(
    private readonly run: (items: readonly I[]) => Promise<R[]>,
    private readonly options: {
      isolate: (err: unknown) => boolean;
      /** Calls per group (default 500). */
      maxGroup?: number;
      /** With `weight` (a call's rows): rows per group, at least one call whatever its weight (default 5,000). */
      maxWeight?: number;
      weight?: (item: I) => number;
    },
  ) {}

  submit(item: I): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.running) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.drain();
    });
  }

  /** How many of the queued calls the next group takes: by count, then by weight (always the first). */
  private groupLength(): number {
    const n = Math.min(this.queue.length, this.options.maxGroup ?? 500);
    const weight = this.options.weight;
    if (!weight) return n;
    const max = this.options.maxWeight ?? 5_000;
    let total = weight(this.queue[0]!.item);
    let k = 1;
    while (k < n && total + weight(this.queue[k]!.item) <= max) total += weight(this.queue[k++]!.item);
    return k;
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (this.queue.length > 0) {
        const group = this.queue.splice(0, this.groupLength());
        try {
          const results = await this.run(group.map((g) => g.item));
          for (const [i, g] of group.entries()) g.resolve(results[i]!);
        } catch (err) {
          if (group.length === 1 || !this.options.isolate(err)) {
            for (const g of group) g.reject(err);
            continue;
          }
          // Each alone, in order: a failure lands only on the call whose data causes it.
          for (const g of group) {
            try {
              g.resolve((await this.run([g.item]))[0]!);
            } catch (alone) {
              g.reject(alone);
            }
          }
        }
      }
    } finally {
      this.running = false;
    }
  }
}
