/**
 * What one agency has registered of the punishment measures (纳入失信名单, 屏蔽/删除, 限制高消费 and its
 * lifting, 限制出境 and its lifting) it received, per debtor. Idempotent per request id like the ledgers. The agency only records
 * and confirms: the legal terms (法释〔2017〕7号, 法释〔2015〕17号) are the hub's to enforce.
 */
import { PUNISHMENT_MEASURES, termLastDay } from '@hub/domain';
import { dayOf, shanghaiInstant } from './days.js';
import { Numbering, ReceiptLog } from './receipt-log.js';
import type { CourtCommand } from './types.js';

export const PUNISHMENTS = PUNISHMENT_MEASURES;
export type Punishment = (typeof PUNISHMENTS)[number];

export interface PunishmentCommand extends CourtCommand {
  subjectId: string;
  measure: Punishment;
  /** restrict-exit only: how long the restriction is registered for. */
  termDays?: number;
  /**
   * Whom the measure is registered on, when not the debtor itself: an organisation's exit restriction (and its
   * lifting) is registered on the persons the court named (民事诉讼法 第二百六十六条), never on the organisation.
   */
  subjects?: readonly string[];
}

export interface PunishmentReceipt {
  registrationNo: string;
  /** ISO 8601 with +08:00. */
  effectiveAt: string;
  /** restrict-exit only: last day registered. */
  until?: string;
}

/** Simulation convention, not law: 限制出境 has no statutory term, so a restriction is registered for a year. */
export const DEFAULT_EXIT_RESTRICTION_DAYS = 365;

interface Standing {
  listed: boolean;
  consumptionRestricted: boolean;
  exitRestrictedUntil?: string;
}

export class PunishmentRegister {
  private readonly log = new ReceiptLog<PunishmentReceipt>();
  private readonly numbers: Numbering;
  private readonly standing = new Map<string, Standing>();

  constructor(readonly institution: string) {
    this.numbers = new Numbering(institution);
  }

  apply(cmd: PunishmentCommand): PunishmentReceipt {
    return this.log.once(cmd.requestId, () => {
      const day = dayOf(cmd.at);
      const receipt: PunishmentReceipt = {
        registrationNo: this.numbers.take(day),
        effectiveAt: shanghaiInstant(cmd.at),
      };
      if (cmd.measure === 'restrict-exit')
        receipt.until = termLastDay(day, cmd.termDays ?? DEFAULT_EXIT_RESTRICTION_DAYS);
      for (const subjectId of new Set(cmd.subjects ?? [cmd.subjectId])) {
        const s = this.standing.get(subjectId) ?? { listed: false, consumptionRestricted: false };
        switch (cmd.measure) {
          case 'dishonest-list':
            // 法释〔2015〕17号 art. 1: everyone on the dishonest list is also restricted in consumption.
            s.listed = true;
            s.consumptionRestricted = true;
            break;
          case 'dishonest-list-removal':
            s.listed = false;
            break;
          case 'restrict-consumption':
            s.consumptionRestricted = true;
            break;
          case 'restrict-consumption-lift':
            // Lifting what was never registered leaves the same state: confirmed all the same.
            s.consumptionRestricted = false;
            break;
          case 'restrict-exit':
            s.exitRestrictedUntil = receipt.until;
            break;
          case 'restrict-exit-lift':
            delete s.exitRestrictedUntil;
            break;
        }
        this.standing.set(subjectId, s);
      }
      return receipt;
    });
  }

  /** The subjects this institution has registered as listed or restricted now (its interception watch list). */
  restrictedSubjects(): string[] {
    const out: string[] = [];
    for (const [id, s] of this.standing)
      if (s.listed || s.consumptionRestricted || s.exitRestrictedUntil !== undefined) out.push(id);
    return out;
  }

  standingOf(subjectId: string): Readonly<Standing> {
    return { ...(this.standing.get(subjectId) ?? { listed: false, consumptionRestricted: false }) };
  }
}
