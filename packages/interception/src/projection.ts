/**
 * The interception projection (自动比对、拦截): every subject's standing, in Redis, read by every adapter in
 * one round trip and written by the punishment service from its own events. Each subject's value is its
 * whole standing with a version, and a write lands only over an older version, so applying an event twice,
 * late or out of order never brings back what a newer change removed. A readiness key says the projection is
 * complete: after a Redis loss it is missing until the punishment service has rebuilt everything from
 * PostgreSQL, and readers answer "unavailable" meanwhile instead of "not restricted".
 */
import { GroupCommit } from '@hub/store';
import type { Redis } from 'ioredis';

/** One restriction as the interception API shows it (RestrictionEntry on the wire). */
export interface InterceptionEntry {
  entryId: string;
  /** dishonest-list | restrict-consumption | restrict-exit */
  measure: string;
  courtCode: string;
  caseNo: string;
  noticeId: string;
  /** ISO 8601: when it took effect at the hub. */
  since: string;
  /** ISO 8601: a listing's decided term end; absent: no fixed term. */
  endsAt?: string;
  ground?: string;
  /** debtor, legal-representative, principal, directly-responsible, actual-controller */
  role: string;
  debtorKind: string;
  /** The entry this one follows from (a listing restricts consumption too). */
  impliedBy?: string;
  /**
   * ISO 8601: set once the entry no longer binds (its removal or lifting taken in, or its term's end). Kept in the
   * standing a while only so that a report of a block made before then is still taken; no check ever finds it.
   */
  until?: string;
}

export interface SubjectStanding {
  hash: string;
  version: number;
  entries: InterceptionEntry[];
}

export interface ProjectionRead {
  /** False while the projection is being rebuilt (or was lost): nothing read may be taken as "not restricted". */
  ready: boolean;
  /**
   * Entries in force at `now` per asked hash the hub holds a standing for (an entry past its `endsAt` no longer
   * binds; a lifted standing has none); a subject never listed has no key here.
   */
  standings: Map<string, InterceptionEntry[]>;
}

// KEYS: subject keys; ARGV: version, value pairs. A value is "<version>:<json>"; written only over an older one.
const APPLY = `
local written = 0
for i, key in ipairs(KEYS) do
  local version = tonumber(ARGV[2 * i - 1])
  local current = redis.call('GET', key)
  local held = current and tonumber(string.match(current, '^(%d+):')) or -1
  if version > held then
    redis.call('SET', key, ARGV[2 * i - 1] .. ':' .. ARGV[2 * i])
    written = written + 1
  end
end
return written`;

// KEYS: rebuild token key, ready key; ARGV: token, ready value. Ready only if the token survived the rebuild.
const READY_AFTER = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[2], ARGV[2])
redis.call('DEL', KEYS[1])
return 1`;

// KEYS: subject keys. The version each holds (its "<version>:" prefix), or false where the key is missing:
// only the numbers cross the wire, not the standings.
const VERSIONS = `
local out = {}
for i, key in ipairs(KEYS) do
  local current = redis.call('GET', key)
  out[i] = current and string.match(current, '^(%d+):') or false
end
return out`;

// KEYS[1]: the ready key, then the nonce keys of the N signed calls of one group, then every subject key they
// read; ARGV[1]: N, then each nonce's lifetime (ms). One command for the group: each nonce is taken (SET NX, in
// the order the calls came, so a nonce twice in a group is fresh once) and the ready key and the subjects read
// (MGET) together; a call whose nonce was not fresh is a replay and its caller discards what was read.
const READ_CONSUMING = `
local n = tonumber(ARGV[1])
local fresh = {}
for i = 1, n do
  fresh[i] = redis.call('SET', KEYS[1 + i], '1', 'PX', ARGV[1 + i], 'NX') and 1 or 0
end
return { fresh, redis.call('MGET', KEYS[1], unpack(KEYS, n + 2)) }`;

/** One signed call's read in a group: its subjects' hashes and its nonce. */
interface ConsumingRead {
  hashes: readonly string[];
  nonce: { key: string; ttlMs: number };
}

/**
 * Reads of up to GROUPED_READ subjects are grouped (single-ID checks, small batches); a larger batch is a command
 * of its own, in flight beside the others, rather than waiting behind a group (one group is in flight at a time).
 */
const GROUPED_READ = 64;
/** Keys per group command: well inside Lua's unpack limit (about 8,000 values). */
const GROUP_KEYS = 4_000;

type WithApply = Redis & {
  interceptionApply(keys: number, ...args: string[]): Promise<number>;
  interceptionReadConsuming(keys: number, ...args: string[]): Promise<[number[], (string | null)[]]>;
  interceptionReadyAfter(keys: number, ...args: string[]): Promise<number>;
  interceptionVersions(keys: number, ...args: string[]): Promise<(string | null)[]>;
};

/** Binding at `now`: not ended (`until`) and not past its term. */
export function inForce(e: InterceptionEntry, now: Date): boolean {
  return e.until === undefined && (e.endsAt === undefined || Date.parse(e.endsAt) > now.getTime());
}

/** When an entry stopped binding, or undefined while it binds: `until`, else its term's end once passed. */
export function endedAt(e: InterceptionEntry, now: Date): string | undefined {
  if (e.until !== undefined) return e.until;
  return e.endsAt !== undefined && Date.parse(e.endsAt) <= now.getTime() ? e.endsAt : undefined;
}

export class InterceptionProjection {
  private readonly prefix: string;
  private readonly readyKey: string;
  private readonly rebuildKey: string;
  /**
   * The checks of one event-loop turn (and those that come while a group is in flight) read in one command: at
   * 5,000 single-ID checks a second one socket write and one script run serve every check of a turn.
   */
  private readonly consumingReads: GroupCommit<ConsumingRead, { fresh: boolean; values: (string | null)[] }>;

  /** `namespace` isolates deployments (and test files) sharing one Redis (HUB_NAMESPACE). */
  constructor(
    private readonly redis: Redis,
    namespace: string,
  ) {
    this.prefix = `${namespace || 'hub'}:intercept:s:`;
    this.readyKey = `${namespace || 'hub'}:intercept:ready`;
    this.rebuildKey = `${namespace || 'hub'}:intercept:rebuild`;
    if (!('interceptionApply' in redis)) {
      redis.defineCommand('interceptionApply', { lua: APPLY });
      redis.defineCommand('interceptionReadConsuming', { lua: READ_CONSUMING });
    }
    if (!('interceptionReadyAfter' in redis)) {
      redis.defineCommand('interceptionReadyAfter', { lua: READY_AFTER });
    }
    if (!('interceptionVersions' in redis)) {
      redis.defineCommand('interceptionVersions', { lua: VERSIONS });
    }
    this.consumingReads = new GroupCommit((reads) => this.readConsumingGroup(reads), {
      // Nothing in one call's keys can fail the command: a failure is Redis's, and every call of the group gets it.
      isolate: () => false,
      weight: (r) => r.hashes.length + 1,
      maxWeight: GROUP_KEYS,
    });
  }

  /** Writes standings where they are newer than what Redis holds; returns how many were written. */
  async apply(standings: readonly SubjectStanding[]): Promise<number> {
    if (standings.length === 0) return 0;
    const keys = standings.map((s) => this.prefix + s.hash);
    const args = standings.flatMap((s) => [String(s.version), JSON.stringify(s.entries)]);
    return (this.redis as WithApply).interceptionApply(keys.length, ...keys, ...args);
  }

  /** Reads the asked subjects and the readiness flag in one round trip. */
  async read(hashes: readonly string[], now: Date): Promise<ProjectionRead> {
    const values = await this.redis.mget(this.readyKey, ...hashes.map((h) => this.prefix + h));
    return this.standingsOf(hashes, values, now);
  }

  /**
   * `read`, and in the same command takes a signed call's nonce (`SET key NX PX ttlMs`): `fresh` is false when
   * the nonce was seen before (a replay), and then nothing read may be answered.
   */
  async readConsuming(
    hashes: readonly string[],
    now: Date,
    nonce: { key: string; ttlMs: number },
  ): Promise<ProjectionRead & { fresh: boolean }> {
    const read = { hashes, nonce };
    const { fresh, values } =
      hashes.length <= GROUPED_READ
        ? await this.consumingReads.submit(read)
        : (await this.readConsumingGroup([read]))[0]!;
    return { fresh, ...this.standingsOf(hashes, values, now) };
  }

  /** One command for a group of reads; each gets its freshness and `[ready, ...its subjects]` back. */
  private async readConsumingGroup(
    reads: readonly ConsumingRead[],
  ): Promise<{ fresh: boolean; values: (string | null)[] }[]> {
    const keys = [this.readyKey, ...reads.map((r) => r.nonce.key)];
    for (const r of reads) for (const h of r.hashes) keys.push(this.prefix + h);
    const [fresh, values] = await (this.redis as WithApply).interceptionReadConsuming(
      keys.length,
      ...keys,
      String(reads.length),
      ...reads.map((r) => String(r.nonce.ttlMs)),
    );
    // A read alone (a large batch, or a quiet turn's one check) takes the reply as it is, not a copy of it.
    if (reads.length === 1) return [{ fresh: fresh[0] === 1, values }];
    const ready = values[0] ?? null;
    let at = 1;
    return reads.map((r, i) => {
      const mine: (string | null)[] = [ready];
      for (let j = 0; j < r.hashes.length; j++) mine.push(values[at++] ?? null);
      return { fresh: fresh[i] === 1, values: mine };
    });
  }

  private standingsOf(hashes: readonly string[], values: (string | null)[], now: Date): ProjectionRead {
    const standings = new Map<string, InterceptionEntry[]>();
    hashes.forEach((hash, i) => {
      const raw = values[i + 1];
      // A subject the hub has never held a standing for has none here (a lifted one has, with nothing binding).
      if (!raw) return;
      const entries = JSON.parse(raw.slice(raw.indexOf(':') + 1)) as InterceptionEntry[];
      standings.set(
        hash,
        entries.filter((e) => inForce(e, now)),
      );
    });
    return { ready: values[0] !== null, standings };
  }

  /**
   * Every entry of the asked subjects' standings, those that no longer bind included (`until`, or past `endsAt`):
   * what a report of an earlier block is checked against. Never an answer to a check.
   */
  async readWithEnded(
    hashes: readonly string[],
  ): Promise<{ ready: boolean; entries: InterceptionEntry[][]; known: boolean[] }> {
    const values = await this.redis.mget(this.readyKey, ...hashes.map((h) => this.prefix + h));
    return {
      ready: values[0] !== null,
      known: hashes.map((_, i) => values[i + 1] !== null),
      entries: hashes.map((_, i) => {
        const raw = values[i + 1];
        return raw ? (JSON.parse(raw.slice(raw.indexOf(':') + 1)) as InterceptionEntry[]) : [];
      }),
    };
  }

  /**
   * The version Redis holds for each asked subject, in the order asked; null where its key is missing. One
   * round trip, versions only (anti-entropy compares them with PostgreSQL's page by page).
   */
  async versions(hashes: readonly string[]): Promise<(number | null)[]> {
    if (hashes.length === 0) return [];
    const held = await (this.redis as WithApply).interceptionVersions(
      hashes.length,
      ...hashes.map((h) => this.prefix + h),
    );
    return held.map((v) => (v === null || v === undefined ? null : Number(v)));
  }

  async isReady(): Promise<boolean> {
    return (await this.redis.exists(this.readyKey)) === 1;
  }

  /** Marks the projection complete (after a rebuild), with when and by whom for operators. */
  async markReady(by: string, at: Date): Promise<void> {
    await this.redis.set(this.readyKey, JSON.stringify({ by, at: at.toISOString() }));
  }

  /**
   * A rebuild begins: its token lives among the namespace's keys, so a loss of the keys during the rebuild
   * takes it too and `markReadyAfter` refuses.
   */
  async beginRebuild(token: string): Promise<void> {
    await this.redis.set(this.rebuildKey, token);
  }

  /** Marks the projection ready, atomically, only if the rebuild's token is still there; false: rebuild again. */
  async markReadyAfter(token: string, by: string, at: Date): Promise<boolean> {
    const value = JSON.stringify({ by, at: at.toISOString() });
    return (
      (await (this.redis as WithApply).interceptionReadyAfter(
        2,
        this.rebuildKey,
        this.readyKey,
        token,
        value,
      )) === 1
    );
  }

  /** Marks it incomplete: readers refuse to answer until `markReady`. */
  async markRebuilding(): Promise<void> {
    await this.redis.del(this.readyKey);
  }
}
