/**
 * Motor vehicles registered to a subject with the traffic police (交管) of one city, derived from
 * (seed, city, subject). Most people own none; firms and the affluent own several. Plates are valid per
 * `isVehiclePlate` (GA 36), VINs carry their ISO 3779 check digit.
 */
import { dayBetween } from './dates.js';
import type { City } from './regions.js';
import { Rng } from './rng.js';
import { affluence, homeCityOf, type Subject } from './subjects.js';

export interface Vehicle {
  plate: string;
  brand: string;
  vin: string;
  registeredAt: string;
}

/** Brand, world manufacturer identifier of its Chinese maker, and whether it is sold as new-energy. */
const BRANDS: readonly (readonly [brand: string, wmi: string, electric: boolean])[] = [
  ['大众', 'LFV', false],
  ['丰田', 'LVG', false],
  ['本田', 'LHG', false],
  ['比亚迪', 'LGX', true],
  ['吉利', 'L6T', false],
  ['长安', 'LS5', false],
  ['日产', 'LGB', false],
  ['别克', 'LSG', false],
  ['宝马', 'LBV', false],
  ['奔驰', 'LE4', false],
  ['特斯拉', 'LRW', true],
  ['五菱', 'LZW', false],
];

const PLATE_LETTERS = [...'ABCDEFGHJKLMNPQRSTUVWXYZ'];
const VIN_CHARS = [...'0123456789ABCDEFGHJKLMNPRSTUVWXYZ'];
/** ISO 3779 transliteration of letters to values for the check digit. */
const VIN_VALUE = new Map(
  [...'A1B2C3D4E5F6G7H8J1K2L3M4N5P7R9S2T3U4V5W6X7Y8Z9'.matchAll(/([A-Z])(\d)/g)].map((m) => [
    m[1]!,
    Number(m[2]),
  ]),
);
const VIN_WEIGHTS = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];
const MODEL_YEAR = 'ABCDEFGHJKLMNPRST'; // 2010 … 2026 (ISO 3779 skips I, O, Q, U, Z)

function vinValue(ch: string): number {
  return VIN_VALUE.get(ch) ?? Number(ch);
}

/** A VIN with its check digit at position 9. */
function vin(rng: Rng, wmi: string, year: number): string {
  let s = wmi;
  for (let k = 0; k < 5; k++) s += rng.pick(VIN_CHARS);
  s += '0' + MODEL_YEAR[year - 2010] + rng.pick(VIN_CHARS) + rng.digits(6);
  let sum = 0;
  for (let k = 0; k < 17; k++) sum += vinValue(s[k]!) * VIN_WEIGHTS[k]!;
  const check = sum % 11 === 10 ? 'X' : String(sum % 11);
  return s.slice(0, 8) + check + s.slice(9);
}

function plate(rng: Rng, city: City, electric: boolean): string {
  const head = city.short + rng.pick([...city.plateLetters]);
  if (electric)
    return head + rng.pick(['D', 'F']) + rng.pick([...PLATE_LETTERS, ...'0123456789']) + rng.digits(4);
  const tail = [...rng.digits(5)];
  if (rng.chance(0.7)) tail[rng.int(5)] = rng.pick(PLATE_LETTERS);
  return head + tail.join('');
}

/** Vehicles `subject` has registered in `city`. */
export function vehiclesOf(seed: number, city: City, subject: Subject): Vehicle[] {
  const rng = Rng.of(seed, 'vehicles', city.code, subject.kind, subject.index);
  const rich = affluence(seed, subject) >= 0.97;
  const home = homeCityOf(subject) === city;
  const born = subject.kind === 'person' ? Number(subject.birthDate.slice(0, 4)) : 1990;
  const count = !home
    ? 0
    : subject.kind === 'organisation'
      ? rng.paretoCount(1.2, 6)
      : rng.paretoCount(2.2, 4) + (rich ? rng.between(1, 2) : 0);
  return Array.from({ length: count }, () => {
    const [brand, wmi, electric] = rng.pick(BRANDS);
    const year = rng.between(Math.max(2010, born + 18), 2024);
    return {
      plate: plate(rng, city, electric || rng.chance(0.1)),
      brand,
      vin: vin(rng, wmi, year),
      registeredAt: dayBetween(rng, year, year),
    };
  });
}
