/**
 * A real-estate registration centre (不动产登记中心): the debtor's registered units and the seals on them,
 * with the centre's query view (docs/agency-answers.md, real-estate query).
 */
import type { RealEstateUnit } from '../population/real-estate.js';
import { SealRegister } from './seal-register.js';
import type { Hold } from './types.js';

export type RealEstateQueryUnit = RealEstateUnit & { holds: Hold[] };

export class RealEstateRegister extends SealRegister<RealEstateUnit> {
  constructor(centre: string, source: (owner: string) => readonly RealEstateUnit[] = () => []) {
    super(centre, (owner) => source(owner).map((unit) => ({ assetNo: unit.unitNo, info: unit })));
  }

  /** 查询: every unit registered to the owner, with mortgages and holds. */
  query(owner: string, at: Date): { units: RealEstateQueryUnit[] } {
    return { units: this.assetsOf(owner, at).map(({ info, holds }) => ({ ...info, holds })) };
  }
}
