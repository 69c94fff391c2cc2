/**
 * Interception checks (自动比对、拦截, DESIGN §6): a partner asks whether a person or organisation is
 * restricted before it lends, registers a transfer, pays out a fund or lets someone board. Answered from
 * the interception projection in Redis (written by the punishment service), never from PostgreSQL: one
 * round trip that carries the nonce of the signed call too, so a check costs one Redis call at most (the checks of
 * one event-loop turn share one: InterceptionProjection.readConsuming).
 */
import { AGENCY_KINDS, type AgencyKind, agencySupports, isMeasure } from '@hub/domain';
import type { InterceptionEntry, InterceptionProjection, ProjectionRead } from '@hub/interception';
import { endedAt, subjectHash } from '@hub/interception';
import { nonceReused } from './auth.js';

/** One restriction as a partner sees it. */
export interface VisibleEntry {
  entryId: string;
  measure: string;
  since: string;
  endsAt?: string;
  courtCode: string;
  caseNo: string;
  ground?: string;
  role: string;
}

export interface SubjectAnswer {
  restricted: boolean;
  entries: VisibleEntry[];
}

export type CheckOutcome =
  | {
      ready: true;
      at: Date;
      answers: SubjectAnswer[];
      entries: InterceptionEntry[][];
      /** Per subject: whether the hub holds a standing for it (it was listed at some time), bound now or not. */
      known: boolean[];
    }
  | { ready: false };

const NOT_RESTRICTED: SubjectAnswer = Object.freeze({ restricted: false, entries: [] }) as SubjectAnswer;

/** The measures an agency kind acts on: an institution sees only those (exit restrictions at public security). */
export function visibleMeasures(agency: AgencyKind): ReadonlySet<string> {
  return new Set(
    ['dishonest-list', 'restrict-consumption', 'restrict-exit'].filter(
      (m) => isMeasure(m) && agencySupports(agency, m),
    ),
  );
}

export function visibleEntry(e: InterceptionEntry): VisibleEntry {
  const v: VisibleEntry = {
    entryId: e.entryId,
    measure: e.measure,
    since: e.since,
    courtCode: e.courtCode,
    caseNo: e.caseNo,
    role: e.role,
  };
  if (e.endsAt !== undefined) v.endsAt = e.endsAt;
  if (e.ground) v.ground = e.ground;
  return v;
}

export class InterceptionDesk {
  private readonly visible: ReadonlySet<string>;

  constructor(
    private readonly projection: InterceptionProjection,
    readonly agency: AgencyKind,
    /** The hub clock: entries past their end no longer bind, and reports may not come from the future. */
    readonly now: () => Date,
  ) {
    if (!AGENCY_KINDS.includes(agency)) throw new Error(`unknown agency kind ${agency}`);
    this.visible = visibleMeasures(agency);
  }

  /**
   * Reads the subjects (valid, normalised identifiers) and, with `nonce`, takes the signed call's nonce in the
   * same Redis command (one command and one reply, shared with the other checks of the turn); a nonce seen before is a replay and nothing is read.
   */
  async check(ids: readonly string[], nonce?: { key: string; ttlMs: number }): Promise<CheckOutcome> {
    const hashes = ids.map(subjectHash);
    const at = this.now();
    let read: ProjectionRead;
    if (nonce) {
      const r = await this.projection.readConsuming(hashes, at, nonce);
      if (!r.fresh) throw nonceReused();
      read = r;
    } else read = await this.projection.read(hashes, at);
    if (!read.ready) return { ready: false };
    const answers: SubjectAnswer[] = new Array(hashes.length);
    const entries: InterceptionEntry[][] = new Array(hashes.length);
    const known: boolean[] = new Array(hashes.length);
    for (let i = 0; i < hashes.length; i++) {
      const held = read.standings.get(hashes[i]!);
      known[i] = held !== undefined;
      const all = held ?? [];
      const mine = all.length === 0 ? all : all.filter((e) => this.visible.has(e.measure));
      entries[i] = mine;
      answers[i] = mine.length === 0 ? NOT_RESTRICTED : { restricted: true, entries: mine.map(visibleEntry) };
    }
    return { ready: true, at, answers, entries, known };
  }

  /**
   * The entry a report names, as the subject's standing holds it, among those this agency kind acts on: in force,
   * or ended a short while ago (`endedAt` says when), so that a block made while it bound still counts when the
   * report comes after the removal. `ready` false while the projection is rebuilt; `known` whether the hub holds
   * a standing for the subject at all.
   */
  async entryForReport(
    id: string,
    entryId: string,
  ): Promise<
    { ready: false } | { ready: true; known: boolean; entry?: InterceptionEntry; endedAt?: string }
  > {
    const read = await this.projection.readWithEnded([subjectHash(id)]);
    if (!read.ready) return { ready: false };
    const known = read.known[0]!;
    const entry = read.entries[0]!.find((e) => e.entryId === entryId && this.visible.has(e.measure));
    if (!entry) return { ready: true, known };
    const ended = endedAt(entry, this.now());
    return ended === undefined
      ? { ready: true, known, entry }
      : { ready: true, known, entry, endedAt: ended };
  }
}
