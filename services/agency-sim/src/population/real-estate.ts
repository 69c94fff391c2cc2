/**
 * A subject's registered real estate at one registration centre (不动产登记中心), derived from
 * (seed, centre, subject). Most people own nothing or one flat in their home city; the affluent own several,
 * also in other cities. Unit numbers follow GB/T 37346-2019 (see `isRealEstateUnitNo`).
 */
import { BANK_NAMES, BANKS, bornIn } from './bank-accounts.js';
import { dayBetween } from './dates.js';
import { type City, cityOfInstitution } from './regions.js';
import { Rng } from './rng.js';
import { affluence, homeCityOf, type Subject } from './subjects.js';

export type UnitUse = 'residential' | 'commercial' | 'industrial' | 'land' | 'other';

export interface Mortgage {
  mortgagee: string;
  amountFen: number;
  until: string;
}

export interface RealEstateUnit {
  /** 不动产单元号, 28 characters. */
  unitNo: string;
  address: string;
  areaM2: number;
  use: UnitUse;
  share: string;
  /** 不动产权证书号. */
  certificateNo: string;
  mortgages: Mortgage[];
}

const USES: readonly (readonly [UnitUse, number])[] = [
  ['residential', 75],
  ['commercial', 12],
  ['industrial', 5],
  ['land', 3],
  ['other', 5],
];

const AREA: Readonly<Record<UnitUse, readonly [number, number]>> = {
  residential: [40, 180],
  commercial: [20, 500],
  industrial: [500, 5000],
  land: [1000, 20000],
  other: [10, 60], // garages, storage rooms
};

function unitAt(rng: Rng, city: City, subject: Subject): RealEstateUnit {
  const [districtCode, districtName] = rng.pick(city.districts);
  const use = rng.weighted(USES);
  const bare = use === 'land';
  const building = rng.between(1, 40);
  const room = `${rng.between(1, 33)}0${rng.between(1, 6)}`.padStart(4, '0');
  // 地籍区 + 地籍子区, G 国有 + B 建设用地使用权, 宗地 sequence, then F 房屋 (or W 无定着物 for bare land).
  const parcel = `${String(rng.between(1, 20)).padStart(3, '0')}${String(rng.between(1, 50)).padStart(3, '0')}`;
  const fixture = bare ? 'W00000000' : `F${String(building).padStart(4, '0')}${room}`;
  const unitNo = `${districtCode}${parcel}GB${rng.digits(5)}${fixture}`;
  const [lo, hi] = AREA[use];
  const areaM2 = Math.round((lo + rng.float() * (hi - lo)) * 100) / 100;
  const street = rng.pick(city.streets);
  const address = bare
    ? `${city.name}${districtName}${street}以东地块`
    : `${city.name}${districtName}${street}${rng.between(1, 999)}号${building}栋${room}室`;
  const registeredYear = rng.between(Math.max(2000, bornIn(subject) + 22), 2024);
  const mortgages: Mortgage[] =
    use === 'residential' && rng.chance(0.4)
      ? [
          {
            mortgagee: `${BANK_NAMES[rng.pick(BANKS)]}股份有限公司${city.name.replace(/市$/, '')}分行`,
            amountFen: rng.between(200_000, 3_000_000) * 100,
            until: dayBetween(rng, registeredYear + 10, registeredYear + 30),
          },
        ]
      : [];
  return {
    unitNo,
    address,
    areaM2,
    use,
    share: rng.chance(0.15) ? '1/2' : '全部',
    certificateNo: `${city.short}（${registeredYear}）${city.name}不动产权第${rng.digits(7)}号`,
    mortgages,
  };
}

/** Units registered to `subject` at `centre` (e.g. REC-510100); none at a centre this model does not know. */
export function realEstateOf(seed: number, centre: string, subject: Subject): RealEstateUnit[] {
  const city = cityOfInstitution(centre);
  if (!city || !centre.startsWith('REC-')) return [];
  const rng = Rng.of(seed, 'real-estate', centre, subject.kind, subject.index);
  const rich = affluence(seed, subject) >= 0.97;
  const home = homeCityOf(subject) === city;
  const count = home
    ? rng.paretoCount(subject.kind === 'organisation' ? 1.3 : 1.7, 6) + (rich ? rng.between(1, 3) : 0)
    : rich
      ? rng.paretoCount(1.2, 4)
      : rng.chance(0.02)
        ? 1
        : 0;
  return Array.from({ length: count }, () => unitAt(rng, city, subject));
}
