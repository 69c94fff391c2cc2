/**
 * Group commit for calls that arrive together: every call made in one turn of the event loop, and every call
 * made while a group is in flight, runs in the next group, one statement for all (`run` gets them in the order
 * they came and returns one result per call). Alone, a call waits for nobody: the first call of a turn
 * schedules the group with setImmediate, which runs once the turn's I/O callbacks are done.
 *
 * One caller's bad input must not fail another's: when a group of several fails and `isolate(err)` says the
 * failure may belong to one call's data (not the database being unavailable), the group is split in halves and
 * each half run again, in order, down to the single call that fails, which alone gets the error. Otherwise every
 * call of the group gets the group's error.
 */
export class GroupCommit<I, R> {
  private queue: { item: I; resolve: (r: R) => void; reject: (e: unknown) => void }[] = [];
  private scheduled = false;
  private running = false;
  private inFlight = 0;

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

  /** Calls waiting or in flight (a caller's back-pressure measure). */
  get pending(): number {
    return this.queue.length + this.inFlight;
  }

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
        this.inFlight = group.length;
        try {
          await this.settle(group);
        } finally {
          this.inFlight = 0;
        }
      }
    } finally {
      this.running = false;
    }
  }

  /** Run `group`; on a failure `isolate` accepts, its halves in turn, so the failure lands on its own call. */
  private async settle(group: typeof this.queue): Promise<void> {
    try {
      const results = await this.run(group.map((g) => g.item));
      for (const [i, g] of group.entries()) g.resolve(results[i]!);
    } catch (err) {
      if (group.length === 1 || !this.options.isolate(err)) {
        for (const g of group) g.reject(err);
        return;
      }
      const half = Math.ceil(group.length / 2);
      await this.settle(group.slice(0, half));
      await this.settle(group.slice(half));
    }
  }
}
