import type { AgencyKind, Clock } from '@hub/domain';
import { type AgencyLedgers, answerFor } from './agencies/index.js';
import type { AgencyAnswer, InboxItem } from './mock-agency.js';

/**
 * What a partner's back office answers: looked up in, and applied to, the institution's own books
 * (ledgers with freeze holds and queues, property and vehicle registers, fund accounts) built from the
 * deterministic synthetic population. Hub time comes from the clock, so terms and lapses follow the
 * time scale.
 */
export function backOffice(kind: AgencyKind, institution: string, ledgers: AgencyLedgers, clock: Clock) {
  return (item: InboxItem): AgencyAnswer => answerFor(kind, institution, item, ledgers, clock.now());
}
