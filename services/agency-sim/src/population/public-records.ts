/**
 * What public security knows of a person besides vehicles: household registration (户籍), exit-entry
 * records (出入境) and, for 协查下落, where the person was last seen. All derived from (seed, person); the
 * sighting is placed relative to the `now` passed in, never the clock.
 */
import { addDaysTo, dayBetween, instantOn } from './dates.js';
import { Rng } from './rng.js';
import { homeCityOf, type Person } from './subjects.js';

export interface Household {
  address: string;
  registeredAt: string;
  householdHead: boolean;
}

export interface ExitEntryRecord {
  at: string;
  port: string;
  direction: 'exit' | 'entry';
  document: string;
}

export interface Sighting {
  found: boolean;
  lastSeenAt?: string;
  place?: string;
  source?: 'hotel' | 'transport' | 'checkpoint' | 'other';
}

const PORTS = [
  '成都天府国际机场',
  '成都双流国际机场',
  '北京首都国际机场',
  '上海浦东国际机场',
  '广州白云国际机场',
  '深圳湾口岸',
  '罗湖口岸',
  '拱北口岸',
];

export function householdOf(seed: number, person: Person): Household {
  const rng = Rng.of(seed, 'household', person.index);
  const born = Number(person.birthDate.slice(0, 4));
  // Registered at birth, or moved here later (study, work, purchase of a home).
  const registeredAt = rng.chance(0.6) ? person.birthDate : dayBetween(rng, born + 18, 2024);
  return { address: person.householdAddress, registeredAt, householdHead: born < 1990 && rng.chance(0.55) };
}

export function exitEntryOf(seed: number, person: Person): ExitEntryRecord[] {
  const rng = Rng.of(seed, 'exit-entry', person.index);
  const trips = rng.paretoCount(1.8, 6);
  if (trips === 0) return [];
  // One travel document: a passport (E + 8 digits) or a Hong Kong/Macao permit (C + 8 digits).
  const document = (rng.chance(0.7) ? 'E' : 'C') + rng.digits(8);
  const days = Array.from({ length: trips }, () => dayBetween(rng, 2015, 2024)).sort();
  return days.flatMap((day) => {
    const port = rng.pick(PORTS);
    const back = addDaysTo(day, rng.between(2, 30));
    return [
      { at: instantOn(rng, day), port, direction: 'exit' as const, document },
      {
        at: instantOn(rng, back),
        port: rng.chance(0.8) ? port : rng.pick(PORTS),
        direction: 'entry' as const,
        document,
      },
    ];
  });
}

const SOURCES = [
  ['hotel', '酒店入住登记', 45],
  ['transport', '铁路购票记录', 35],
  ['checkpoint', '公安检查站', 10],
  ['other', '网吧上网登记', 10],
] as const;

/** Where the person was last seen, up to 30 days before `now`; about half are not found. */
export function whereaboutsOf(seed: number, person: Person, now: Date): Sighting {
  const rng = Rng.of(seed, 'whereabouts', person.index);
  if (!rng.chance(0.55)) return { found: false };
  const [source, what] = rng.weighted(SOURCES.map(([s, w, weight]) => [[s, w] as const, weight] as const));
  const seenAt = new Date(now.getTime() - rng.between(1, 30 * 24) * 3_600_000 - rng.int(3_600_000));
  const city = rng.chance(0.7) ? homeCityOf(person) : undefined;
  const shanghai = new Date(seenAt.getTime() + 8 * 3_600_000).toISOString().slice(0, 19);
  return {
    found: true,
    lastSeenAt: `${shanghai}+08:00`,
    place: `${city?.name ?? '外省'}${rng.pick(city?.streets ?? ['某地'])}（${what}）`,
    source,
  };
}
