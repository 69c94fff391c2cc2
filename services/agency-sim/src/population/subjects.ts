/**
 * The synthetic population: people and organisations generated lazily by index from a seed, never
 * materialised up front.
 *
 * How `findSubject` works (no lookup table): the identifying part of every ID is a keyed permutation of the
 * subject's index, so it is inverted rather than searched.
 *   - Person i: permute(i) over regions × birth days (1950-01-01…2004-12-31) × sequences 001…999 gives the
 *     region code, birth date and 顺序码 of a GB 11643 ID; the check digit follows. Decoding an ID runs the
 *     permutation backwards to i.
 *   - Organisation i: permute(i) over 10^8 gives the 8-digit body of the 组织机构代码 inside a GB 32100 code.
 * The candidate index is then regenerated and compared in full, so IDs outside the population (wrong region,
 * index ≥ size, other check character, a different seed's region for that organisation) yield undefined.
 * Because the permutation spans the whole ID space, growing the population keeps everyone already in it.
 */
import { creditCodeCheckChar, residentIdCheckChar } from '@hub/domain';
import { firmName, personName } from './names.js';
import { permute, unpermute } from './permutation.js';
import { type City, REGIONS, type Region, regionIndexOf, regionLabel } from './regions.js';
import { hash32, Rng } from './rng.js';

export interface PopulationSize {
  people: number;
  organisations: number;
}

export const DEFAULT_POPULATION: PopulationSize = Object.freeze({ people: 100_000, organisations: 10_000 });

export interface Person {
  kind: 'person';
  index: number;
  /** 居民身份证号码 (GB 11643). */
  idNumber: string;
  name: string;
  sex: 'M' | 'F';
  birthDate: string;
  regionCode: string;
  /** 户籍地址. */
  householdAddress: string;
}

export interface Organisation {
  kind: 'organisation';
  index: number;
  /** 统一社会信用代码 (GB 32100). */
  creditCode: string;
  name: string;
  regionCode: string;
  address: string;
  /** 法定代表人: index of a person in the population. */
  legalRepresentative: number;
}

export type Subject = Person | Organisation;

const DAY_MS = 86_400_000;
const FIRST_BIRTH_DAY = Date.UTC(1950, 0, 1) / DAY_MS;
const BIRTH_DAYS = Date.UTC(2005, 0, 1) / DAY_MS - FIRST_BIRTH_DAY;
const SEQUENCES = 999;
/** Every possible person: regions × birth days × sequence numbers. */
export const PERSON_ID_SPACE = REGIONS.length * BIRTH_DAYS * SEQUENCES;
/** Every possible organisation: 8-digit organisation-code bodies. */
export const ORGANISATION_ID_SPACE = 100_000_000;

const personKey = (seed: number) => hash32('person-id', seed);
const organisationKey = (seed: number) => hash32('organisation-id', seed);

function checkIndex(i: number, space: number): void {
  if (!Number.isSafeInteger(i) || i < 0 || i >= space)
    throw new RangeError(`index ${i} outside [0, ${space})`);
}

function streetAddress(rng: Rng, region: Region): string {
  return `${regionLabel(region)}${rng.pick(region.city.streets)}${rng.between(1, 999)}号`;
}

export function personAt(seed: number, i: number): Person {
  checkIndex(i, PERSON_ID_SPACE);
  const v = permute(personKey(seed), PERSON_ID_SPACE, i);
  const sequence = (v % SEQUENCES) + 1;
  const rest = Math.floor(v / SEQUENCES);
  const region = REGIONS[Math.floor(rest / BIRTH_DAYS)]!;
  const birthDate = new Date((FIRST_BIRTH_DAY + (rest % BIRTH_DAYS)) * DAY_MS).toISOString().slice(0, 10);
  const first17 = region.code + birthDate.replaceAll('-', '') + String(sequence).padStart(3, '0');
  const sex = sequence % 2 === 1 ? 'M' : 'F'; // GB 11643: odd sequence for men
  const rng = Rng.of(seed, 'person', i);
  const home = `${streetAddress(rng, region)}${rng.between(1, 30)}栋${rng.between(1, 4)}单元${rng.between(1, 32)}0${rng.between(1, 8)}号`;
  return {
    kind: 'person',
    index: i,
    idNumber: first17 + residentIdCheckChar(first17),
    name: personName(rng, sex),
    sex,
    birthDate,
    regionCode: region.code,
    householdAddress: home,
  };
}

/** GB 11714 check character of an 8-character organisation code (digits only here). */
function organisationCodeCheck(body: string): string {
  const weights = [3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let k = 0; k < 8; k++) sum += Number(body[k]) * weights[k]!;
  const c = 11 - (sum % 11);
  return c === 10 ? 'X' : c === 11 ? '0' : String(c);
}

export function organisationAt(
  seed: number,
  i: number,
  size: PopulationSize = DEFAULT_POPULATION,
): Organisation {
  checkIndex(i, ORGANISATION_ID_SPACE);
  const body = String(permute(organisationKey(seed), ORGANISATION_ID_SPACE, i)).padStart(8, '0');
  const rng = Rng.of(seed, 'organisation', i);
  const region = rng.pick(REGIONS);
  // 9 工商 registration authority, 1 企业 (GB 32100 table 1).
  const first17 = `91${region.code}${body}${organisationCodeCheck(body)}`;
  return {
    kind: 'organisation',
    index: i,
    creditCode: first17 + creditCodeCheckChar(first17),
    name: firmName(rng, region.city.name),
    regionCode: region.code,
    address: streetAddress(rng, region),
    legalRepresentative: rng.int(size.people),
  };
}

function personIndexOf(seed: number, id: string): number | undefined {
  const region = regionIndexOf(id.slice(0, 6));
  const birthDay =
    Date.parse(`${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}T00:00:00Z`) / DAY_MS;
  const day = birthDay - FIRST_BIRTH_DAY;
  const sequence = Number(id.slice(14, 17));
  if (region === undefined || !Number.isInteger(day) || day < 0 || day >= BIRTH_DAYS || sequence < 1) return;
  return unpermute(personKey(seed), PERSON_ID_SPACE, (region * BIRTH_DAYS + day) * SEQUENCES + sequence - 1);
}

/** The person or organisation with this ID in the population of `seed` and `size`; undefined if none. */
export function findSubject(
  seed: number,
  idOrCode: string,
  size: PopulationSize = DEFAULT_POPULATION,
): Subject | undefined {
  // Organisations first: an all-digit credit code also has the shape of a resident ID (no province is 91).
  if (/^91\d{14}[\dX][0-9A-Z]$/.test(idOrCode)) {
    const i = unpermute(organisationKey(seed), ORGANISATION_ID_SPACE, Number(idOrCode.slice(8, 16)));
    if (i >= size.organisations) return undefined;
    const organisation = organisationAt(seed, i, size);
    return organisation.creditCode === idOrCode ? organisation : undefined;
  }
  if (/^\d{17}[\dX]$/.test(idOrCode)) {
    const i = personIndexOf(seed, idOrCode);
    if (i === undefined || i >= size.people) return undefined;
    const person = personAt(seed, i);
    return person.idNumber === idOrCode ? person : undefined;
  }
  return undefined;
}

export function subjectIdOf(subject: Subject): string {
  return subject.kind === 'person' ? subject.idNumber : subject.creditCode;
}

/** A stable rank in [0, 1) of how much a subject holds overall: the top few percent hold most. */
export function affluence(seed: number, subject: Subject): number {
  return hash32(seed, 'affluence', subjectIdOf(subject)) / 2 ** 32;
}

/** The city of a subject's household registration or registered office. */
export function homeCityOf(subject: Subject): City {
  return REGIONS[regionIndexOf(subject.regionCode)!]!.city;
}
