import { exitBindsRole } from '@hub/domain';
/**
 * Public security (公安): household registration (户籍), vehicles (交管), exit-entry (出入境) and the
 * person-only measures, exit restriction (限制出境) and locating a person (协查下落).
 */
import type { PunishmentRegister } from '../ledgers/punishment-register.js';
import type { VehicleRegister } from '../ledgers/vehicle-register.js';
import { exitEntryOf, householdOf, whereaboutsOf } from '../population/public-records.js';
import type { Subject } from '../population/subjects.js';
import { punishmentAnswer } from './punishment-answers.js';
import { type AgencyAnswer, type AgencyRequest, cannotAssist, type Served } from './types.js';

export function publicSecurityQuery(
  vehicles: VehicleRegister,
  seed: number,
  who: Subject | undefined,
  s: Served,
): AgencyAnswer {
  const person = who?.kind === 'person' ? who : undefined;
  return {
    outcome: 'done',
    result: {
      ...(person ? { household: householdOf(seed, person) } : {}),
      vehicles: vehicles.query(s.subjectId, s.now),
      exitEntry: person ? exitEntryOf(seed, person) : [],
    },
  };
}

/**
 * Whom an exit restriction binds: a person debtor itself; for an organisation the persons the notice names
 * among those the law lists (法定代表人, 主要负责人, 直接责任人员: 民事诉讼法 第二百六十六条, exitBindsRole),
 * each once — never the organisation.
 */
export function exitSubjectsOf(debtor: AgencyRequest['debtor']): string[] {
  if (debtor.kind !== 'organisation') return debtor.idNumber ? [debtor.idNumber] : [];
  const named = [
    debtor.legalRepresentative?.idNumber,
    ...(debtor.responsiblePersons ?? []).filter((p) => exitBindsRole(p.role ?? '')).map((p) => p.idNumber),
  ];
  return [...new Set(named.filter((id): id is string => typeof id === 'string' && id !== ''))];
}

export function restrictExitAnswer(register: PunishmentRegister, s: Served): AgencyAnswer {
  const subjects = exitSubjectsOf(s.request.debtor);
  if (subjects.length === 0) {
    return cannotAssist(
      'exit restriction applies to persons: name the legal representative or the responsible persons of the organisation',
    );
  }
  const r = register.apply({
    requestId: s.request.id,
    subjectId: s.subjectId,
    subjects,
    measure: 'restrict-exit',
    court: s.court,
    caseNo: s.request.caseNo,
    termDays: s.request.params?.termDays,
    at: s.now,
  });
  return { outcome: 'done', result: { restricted: true, until: r.until!, registrationNo: r.registrationNo } };
}

/** Lifting (解除限制出境) on whom the restriction was registered; lifting what is absent is confirmed all the same. */
export function restrictExitLiftAnswer(register: PunishmentRegister, s: Served): AgencyAnswer {
  return punishmentAnswer(register, 'restrict-exit-lift', s, exitSubjectsOf(s.request.debtor));
}

/** A person outside the population is simply not found; a sighting is placed before `now`. */
export function locateAnswer(seed: number, who: Subject | undefined, s: Served): AgencyAnswer {
  if (s.request.debtor.kind === 'organisation' || s.request.debtor.idNumber === undefined) {
    return cannotAssist('locating applies to persons');
  }
  return {
    outcome: 'done',
    result: who?.kind === 'person' ? whereaboutsOf(seed, who, s.now) : { found: false },
  };
}
