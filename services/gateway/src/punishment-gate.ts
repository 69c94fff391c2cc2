/**
 * Punishment notices (纳入/删除失信名单, 限制/解除限制高消费, 限制/解除限制出境) are judged by the punishment
 * service before they are stored, against its own listings, restrictions and the notices it admitted and has
 * not taken in yet (PunishmentService.CheckPunishments): a listing within the relisting bar (RELISTING_BARRED,
 * 法释〔2017〕7号 art. 10 第四款), a debtor listed already (ALREADY_LISTED), a removal of nothing listed
 * (LISTING_NOT_FOUND) or of another court's listing (LISTING_OF_ANOTHER_COURT), the same for restrictions, and a
 * notice right behind another of its kind for the debtor (PUNISHMENT_PENDING). The court hears it at once
 * instead of a 202 and a notice that fails later; details (the rule and its source) pass through.
 */
import { noticeToProto } from '@hub/contracts';
import type { HubError, NoticeSubmission } from '@hub/domain';
import type { PunishmentClient } from './adapters/punishment-client.js';
import { type Judge, refusal } from './admission.js';

export class PunishmentGate implements Judge {
  constructor(private readonly punishment: Pick<PunishmentClient, 'check'>) {}

  async judge(_court: string, notices: readonly NoticeSubmission[]): Promise<(HubError | undefined)[]> {
    const results = await this.punishment.check(notices.map((n) => noticeToProto(n)));
    return results.map(refusal);
  }
}
