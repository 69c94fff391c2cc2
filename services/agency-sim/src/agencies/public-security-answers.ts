/**
 * Public security (公安): household registration (户籍), vehicles (交管), exit-entry (出入境) and the
 * person-only measures, exit restriction (限制出境) and locating a person (协查下落).
 */
import type { PunishmentRegister } from '../ledgers/punishment-register.js';
import type { VehicleRegister } from '../ledgers/vehicle-register.js';
import { exitEntryOf, householdOf, whereaboutsOf } from '../population/public-records.js';
import type { Subject } from '../population/subjects.js';
import { type AgencyAnswer, cannotAssist, type Served } from './types.js';

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

export function restrictExitAnswer(register: PunishmentRegister, s: Served): AgencyAnswer {
  if (s.request.debtor.kind === 'organisation' || s.request.debtor.idNumber === undefined) {
    return cannotAssist('exit restriction applies to persons: name the legal representative as the debtor');
  }
  const r = register.apply({
    requestId: s.request.id,
    subjectId: s.subjectId,
    measure: 'restrict-exit',
    court: s.court,
    caseNo: s.request.caseNo,
    termDays: s.request.params?.termDays,
    at: s.now,
  });
  return { outcome: 'done', result: { restricted: true, until: r.until!, registrationNo: r.registrationNo } };
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
