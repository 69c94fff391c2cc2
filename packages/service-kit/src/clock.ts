import { type Clock, scaledClock, systemClock } from '@hub/domain';

/**
 * The hub clock from configuration. Every process of one deployment passes the same epoch (real time at
 * which hub time equals real time), so separately started services agree on hub time at any scale:
 * hub now = epoch + (real now − epoch) × scale.
 */
export function clockFromConfig(scale: number, epochMs: number | undefined): Clock {
  if (scale === 1) return systemClock;
  const epoch = epochMs ?? Date.now();
  const realNow = Date.now();
  return scaledClock({ scale, origin: new Date(epoch + (realNow - epoch) * scale), realNow: Date.now });
}

/** A service's schema: `gateway`, or `<namespace>_gateway` when a namespace isolates a deployment. */
export function schemaName(namespace: string, service: string): string {
  return namespace ? `${namespace}_${service.replace(/-/g, '_')}` : service.replace(/-/g, '_');
}
