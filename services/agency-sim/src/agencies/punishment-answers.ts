/**
 * Punishment measures every agency kind receives: 纳入失信名单, 屏蔽/删除失信信息, 限制高消费. The agency
 * registers and confirms (`{ applied: true, registrationNo, effectiveAt }`); a removal of a listing it
 * never received is still confirmed, since deleting what is absent leaves the same state.
 */
import type { PunishmentRegister } from '../ledgers/punishment-register.js';
import type { AgencyAnswer, Served } from './types.js';

export function punishmentAnswer(
  register: PunishmentRegister,
  measure: 'dishonest-list' | 'dishonest-list-removal' | 'restrict-consumption',
  s: Served,
): AgencyAnswer {
  const r = register.apply({
    requestId: s.request.id,
    subjectId: s.subjectId,
    measure,
    court: s.court,
    caseNo: s.request.caseNo,
    at: s.now,
  });
  return {
    outcome: 'done',
    result: { applied: true, registrationNo: r.registrationNo, effectiveAt: r.effectiveAt },
  };
}
