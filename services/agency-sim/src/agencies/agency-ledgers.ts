/**
 * The books of every mock institution, created on first use and backed by the synthetic population of
 * one seed: bank ledgers (ICBC, CCB …), real-estate registers (REC-<city>), provident-fund ledgers
 * (PF-<city>), public security's vehicle registers (PSB-<city>) and each institution's punishment register.
 * It also remembers every answer given, so a redelivered request gets the same answer, and journals every
 * request it decided with the time it did: the journal is the books' durable form (`replayJournal`
 * rebuilds books and answers from it over the same seed), so a restart forgets no deduction.
 */
import type { AgencyKind } from '@hub/domain';
import { BankLedger } from '../ledgers/bank-ledger.js';
import type { HoldChangeLog } from '../ledgers/hold-changes.js';
import { ProvidentFundLedger } from '../ledgers/provident-fund-ledger.js';
import { PunishmentRegister } from '../ledgers/punishment-register.js';
import { RealEstateRegister } from '../ledgers/real-estate-register.js';
import { VehicleRegister } from '../ledgers/vehicle-register.js';
import { bankAccountsOf, isBank } from '../population/bank-accounts.js';
import { providentFundOf } from '../population/provident-fund.js';
import { realEstateOf } from '../population/real-estate.js';
import { cityOfInstitution } from '../population/regions.js';
import {
  DEFAULT_POPULATION,
  findSubject,
  type PopulationSize,
  type Subject,
} from '../population/subjects.js';
import { vehiclesOf } from '../population/vehicles.js';
import type { AgencyAnswer, AgencyRequest } from './types.js';

/** One request an institution decided, and when: replayed in order, it decides the same again. */
export interface JournalEntry {
  kind: AgencyKind;
  institution: string;
  request: AgencyRequest;
  /** ISO 8601 instant. */
  at: string;
}

export interface AgencyLedgersOptions {
  seed: number;
  size?: PopulationSize;
}

export class AgencyLedgers {
  readonly seed: number;
  readonly size: PopulationSize;
  private readonly books = new Map<string, unknown>();
  private readonly answers = new Map<string, AgencyAnswer>();
  private readonly decided: JournalEntry[] = [];

  constructor(options: AgencyLedgersOptions) {
    this.seed = options.seed;
    this.size = options.size ?? DEFAULT_POPULATION;
  }

  /** The population member with this ID, if any: a debtor from outside it simply holds nothing. */
  subject(id: string): Subject | undefined {
    return findSubject(this.seed, id, this.size);
  }

  private book<T>(key: string, make: () => T): T {
    let b = this.books.get(key) as T | undefined;
    if (b === undefined) {
      b = make();
      this.books.set(key, b);
    }
    return b;
  }

  private from<T>(derive: (s: Subject) => T, none: T): (owner: string) => T {
    return (owner) => {
      const s = this.subject(owner);
      return s ? derive(s) : none;
    };
  }

  bank(code: string): BankLedger {
    return this.book(
      `bank:${code}`,
      () =>
        new BankLedger(
          code,
          isBank(code) ? this.from((s) => bankAccountsOf(this.seed, code, s), []) : () => [],
        ),
    );
  }

  realEstate(centre: string): RealEstateRegister {
    return this.book(
      `real-estate:${centre}`,
      () =>
        new RealEstateRegister(
          centre,
          this.from((s) => realEstateOf(this.seed, centre, s), []),
        ),
    );
  }

  providentFund(centre: string): ProvidentFundLedger {
    return this.book(
      `provident-fund:${centre}`,
      () =>
        new ProvidentFundLedger(
          centre,
          this.from((s) => providentFundOf(this.seed, centre, s), undefined),
        ),
    );
  }

  vehicles(institution: string): VehicleRegister {
    const city = cityOfInstitution(institution);
    return this.book(
      `vehicles:${institution}`,
      () =>
        new VehicleRegister(
          institution,
          city ? this.from((s) => vehiclesOf(this.seed, city, s), []) : () => [],
        ),
    );
  }

  punishments(institution: string): PunishmentRegister {
    return this.book(`punishments:${institution}`, () => new PunishmentRegister(institution));
  }

  /** What happened to holds in the books `institution` keeps (its hold-change reports to the hub). */
  holdChangesOf(kind: AgencyKind, institution: string): HoldChangeLog | undefined {
    switch (kind) {
      case 'bank':
        return this.bank(institution).holdChanges;
      case 'provident-fund':
        return this.providentFund(institution).holdChanges;
      case 'real-estate':
        return this.realEstate(institution).holdChanges;
      case 'public-security':
        return this.vehicles(institution).holdChanges;
    }
  }

  /**
   * The answer already given by `entry.institution` to the request, or `answer()`'s, remembered and
   * journalled now. The request id is the institution's idempotency key: a redelivered or retried request
   * gets the first answer and changes nothing, whatever its copy says.
   */
  answerOnce(entry: JournalEntry, answer: () => AgencyAnswer): AgencyAnswer {
    const key = `${entry.institution}|${entry.request.id}`;
    const seen = this.answers.get(key);
    if (seen) return seen;
    const given = answer();
    this.answers.set(key, given);
    this.decided.push(entry);
    return given;
  }

  /** Every request decided so far, in order. */
  get journal(): readonly JournalEntry[] {
    return this.decided;
  }
}
