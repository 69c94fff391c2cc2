/**
 * Punishment measures every agency kind receives: 纳入失信名单, 屏蔽/删除失信信息, 限制高消费 and its
 * lifting (解除限制高消费); public security's 解除限制出境 is in public-security-answers.ts. The agency registers and confirms
 * (`{ applied: true, registrationNo, effectiveAt }`, packages/contracts punishmentResultSchema); a removal or
 * lifting of something it never received is still confirmed, since deleting what is absent leaves the same
 * state.
 */
import type { PunishmentRegister } from '../ledgers/punishment-register.js';
import type { AgencyAnswer, Served } from './types.js';

export function punishmentAnswer(
  register: PunishmentRegister,
  measure:
    | 'dishonest-list'
    | 'dishonest-list-removal'
    | 'restrict-consumption'
    | 'restrict-consumption-lift'
    | 'restrict-exit-lift',
  s: Served,
  /** Whom it is registered on, when not the debtor alone (an organisation's exit restriction: its persons). */
  subjects?: readonly string[],
): AgencyAnswer {
  const r = register.apply({
    requestId: s.request.id,
    subjectId: s.subjectId,
    ...(subjects ? { subjects } : {}),
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
