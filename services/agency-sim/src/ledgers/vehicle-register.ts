/**
 * The traffic police's motor-vehicle register (交管) of one city: the debtor's vehicles and the seals on
 * them (movables: the 2-year term), with the vehicle part of public security's query view.
 */
import type { Vehicle } from '../population/vehicles.js';
import { SealRegister } from './seal-register.js';
import type { Hold } from './types.js';

export type VehicleQueryItem = Vehicle & { holds: Hold[] };

export class VehicleRegister extends SealRegister<Vehicle> {
  constructor(institution: string, source: (owner: string) => readonly Vehicle[] = () => []) {
    super(institution, (owner) =>
      source(owner).map((vehicle) => ({ assetNo: vehicle.plate, info: vehicle })),
    );
  }

  /** The owner's vehicles with their holds. */
  query(owner: string, at: Date): VehicleQueryItem[] {
    return this.assetsOf(owner, at).map(({ info, holds }) => ({ ...info, holds }));
  }
}
