/**
 * Which entries a notice places (pure): the debtor's own entry, and the entries bound with it —
 * a listing restricts consumption too (法释〔2015〕17号 art. 1), and an organisation's consumption restriction
 * binds its legal representative and each responsible person (art. 3 第二款), each an entry of its own.
 * An organisation's exit restriction binds those persons only, with no entry on the organisation itself
 * (民事诉讼法 第二百六十六条, EXIT_RESTRICTION_OF_ORGANISATION).
 */
import type { NoticeSubmission } from '@hub/contracts';
import {
  type BoundRole,
  type DishonestGroundCode,
  dishonestListingTerm,
  exitBindsRole,
  isDishonestGround,
  maskIdNumber,
  maskName,
  organisationBindsItself,
  type PunishmentMeasure,
  RESPONSIBLE_ROLES,
  type ResponsibleRole,
} from '@hub/domain';
import { subjectHash } from '@hub/interception';

export interface PlacedEntry {
  id: string;
  subjectHash: string;
  /** The notice's debtor (its subject hash): whose entries admission judges, whoever they bind. */
  debtorHash: string;
  subjectMasked: string;
  debtorKind: string;
  role: BoundRole;
  measure: 'dishonest-list' | 'restrict-consumption' | 'restrict-exit';
  courtCode: string;
  courtName: string;
  caseNo: string;
  noticeId: string;
  grounds: DishonestGroundCode[];
  since: Date;
  /** When the court decided it: the notice's issuedAt, never later than `since` (its term runs from here). */
  decidedAt: Date;
  endsAt: Date | null;
  impliedBy: string | null;
  /** The public list's name and visible ID (dishonest-list, the debtor only). */
  publicName: string | null;
  publicId: string | null;
  /** The public list's 法定代表人 of a listed organisation (法释〔2017〕7号 art. 6); null otherwise. */
  publicRepresentative: string | null;
}

/** The debtor's identifier: a resident ID or a credit code. */
export const debtorIdOf = (n: NoticeSubmission) => n.debtor?.idNumber || n.debtor?.creditCode || '';

/** A listing's grounds: params.ground then otherGrounds, each once, unknown codes left out. */
export function groundsOf(n: NoticeSubmission): DishonestGroundCode[] {
  const all = [n.params?.ground, ...(n.params?.otherGrounds ?? [])].filter(isDishonestGround);
  return [...new Set(all)];
}

/** Where each of a listing's grounds was first given: `params.ground`, or `params.otherGrounds.<i>`. */
export function groundPathsOf(n: NoticeSubmission): Partial<Record<DishonestGroundCode, string>> {
  const paths: Partial<Record<DishonestGroundCode, string>> = {};
  const given = [
    [n.params?.ground, 'params.ground'],
    ...(n.params?.otherGrounds ?? []).map((g, i) => [g, `params.otherGrounds.${i}`]),
  ] as const;
  for (const [g, path] of given) if (isDishonestGround(g) && !(g in paths)) paths[g] = path;
  return paths;
}

/** As the public list shows an ID: first 6 and last 4 of a resident ID; a credit code in full. */
export const publicIdOf = (kind: string, id: string) => (kind === 'organisation' ? id : maskIdNumber(id));

const masked = (name: string, id: string) => `${maskName(name)} ${maskIdNumber(id)}`;

const ROLES: readonly string[] = RESPONSIBLE_ROLES;
const responsibleRole = (r: string): ResponsibleRole =>
  ROLES.includes(r) ? (r as ResponsibleRole) : 'directly-responsible';

/**
 * The entries a placing notice (dishonest-list, restrict-consumption, restrict-exit) puts on its subjects.
 * `newId` gives each entry its id.
 */
export function entriesPlacedBy(
  noticeId: string,
  n: NoticeSubmission,
  now: Date,
  newId: () => string,
): PlacedEntry[] {
  const measure = n.measure as PunishmentMeasure;
  if (measure !== 'dishonest-list' && measure !== 'restrict-consumption' && measure !== 'restrict-exit')
    return [];
  const debtor = n.debtor;
  const id = debtorIdOf(n);
  const kind = debtor?.kind ?? 'person';
  const grounds = measure === 'dishonest-list' ? groundsOf(n) : [];
  // The term runs from the decision (arts. 2, 5), the notice's issuedAt, which may run ahead of the hub's clock
  // (never beyond now) and is checked at the gateway not to lie before its whole term.
  const issued = Date.parse(n.issuedAt);
  const decidedAt = Number.isFinite(issued) && issued < now.getTime() ? new Date(issued) : now;
  const endsAt =
    measure === 'dishonest-list' ? listingEnds(grounds, decidedAt, n.params?.extensionYears ?? 0) : null;
  const base = {
    debtorHash: subjectHash(id),
    courtCode: n.court?.code ?? '',
    courtName: n.court?.name ?? '',
    caseNo: n.caseNo,
    noticeId,
    since: now,
    decidedAt,
  };
  const own: PlacedEntry = {
    ...base,
    id: newId(),
    subjectHash: subjectHash(id),
    subjectMasked: masked(debtor?.name ?? '', id),
    debtorKind: kind,
    role: 'debtor',
    measure,
    grounds,
    endsAt,
    impliedBy: null,
    publicName: measure === 'dishonest-list' ? (debtor?.name ?? '') : null,
    publicId: measure === 'dishonest-list' ? publicIdOf(kind, id) : null,
    publicRepresentative:
      measure === 'dishonest-list' && kind === 'organisation'
        ? (debtor?.legalRepresentative?.name ?? null)
        : null,
  };
  // 民事诉讼法 第二百六十六条: an organisation is restricted from exit through the persons the court names, and
  // never itself (EXIT_RESTRICTION_OF_ORGANISATION); a person debtor is restricted itself.
  const exit = measure === 'restrict-exit';
  // A listing's consumption restriction follows from it and ends with it; a restriction is the notice's own.
  const restricting = measure === 'dishonest-list';
  const boundMeasure = exit ? 'restrict-exit' : 'restrict-consumption';
  const boundEntry = (
    role: BoundRole,
    person: { name: string; idNumber: string },
    subjectKind: string,
  ): PlacedEntry => ({
    ...base,
    id: newId(),
    subjectHash: subjectHash(person.idNumber),
    subjectMasked: masked(person.name, person.idNumber),
    debtorKind: subjectKind,
    role,
    measure: boundMeasure,
    grounds: [],
    endsAt: restricting ? endsAt : null,
    impliedBy: restricting ? own.id : null,
    publicName: null,
    publicId: null,
    publicRepresentative: null,
  });
  const bound: PlacedEntry[] = [];
  if (restricting) bound.push(boundEntry('debtor', { name: debtor?.name ?? '', idNumber: id }, kind));
  if (kind === 'organisation') {
    const rep = debtor?.legalRepresentative;
    if (rep?.idNumber) bound.push(boundEntry('legal-representative', rep, 'person'));
    for (const p of debtor?.responsiblePersons ?? [])
      if (p.idNumber && (!exit || exitBindsRole(p.role)))
        bound.push(boundEntry(responsibleRole(p.role), p, 'person'));
  }
  // One entry per subject and role: the same person named twice binds once.
  const seen = new Set<string>();
  const unique = bound.filter((e) => {
    const k = `${e.subjectHash}/${e.role}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  if (kind !== 'organisation') return exit ? [own] : [own, ...unique];
  return organisationBindsItself(measure) ? [own, ...unique] : unique;
}

/** A listing's term end (art. 2); an extension the rules refuse (the gateway's check) lists for the base term. */
function listingEnds(
  grounds: readonly DishonestGroundCode[],
  now: Date,
  extensionYears: number,
): Date | null {
  const term = dishonestListingTerm(grounds, now, extensionYears);
  if (term.ok) return term.endsAt;
  const base = dishonestListingTerm(grounds, now);
  return base.ok ? base.endsAt : null;
}
