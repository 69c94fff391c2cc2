import * as adapterBank from '@hub/adapter-bank';
import * as adapterProvidentFund from '@hub/adapter-provident-fund';
import * as adapterPublicSecurity from '@hub/adapter-public-security';
import * as adapterRealEstate from '@hub/adapter-real-estate';
import * as agencySim from '@hub/agency-sim';
import { type Clock, type HubService, isMeasureService } from '@hub/domain';
import * as freezeDeduct from '@hub/freeze-deduct';
import * as gateway from '@hub/gateway';
import * as query from '@hub/query';
import type { Logger, ServiceApp } from '@hub/service-kit';
import * as tracker from '@hub/tracker';

type Env = Record<string, string | undefined>;
type Builder = (env: Env, deps: { logger: Logger; clock: Clock }) => ServiceApp;

/**
 * Every service, in start order: readers of a topic before its writers matters little (consumers start
 * from the beginning), but the tracker before the gateway lets status reads succeed from the first notice.
 */
export const SERVICES: Record<string, Builder> = {
  tracker: (env, deps) => tracker.buildApp(tracker.loadConfig(env), deps),
  'adapter-bank': (env, deps) => adapterBank.buildApp(adapterBank.loadConfig(env), deps),
  'adapter-real-estate': (env, deps) => adapterRealEstate.buildApp(adapterRealEstate.loadConfig(env), deps),
  'adapter-public-security': (env, deps) =>
    adapterPublicSecurity.buildApp(adapterPublicSecurity.loadConfig(env), deps),
  'adapter-provident-fund': (env, deps) =>
    adapterProvidentFund.buildApp(adapterProvidentFund.loadConfig(env), deps),
  query: (env, deps) => query.buildApp(query.loadConfig(env), deps),
  'freeze-deduct': (env, deps) => freezeDeduct.buildApp(freezeDeduct.loadConfig(env), deps),
  gateway: (env, deps) => gateway.buildApp(gateway.loadConfig(env), deps),
  'agency-sim': (env, deps) => agencySim.buildApp(agencySim.loadConfig(env), deps),
};

export type ServiceName = keyof typeof SERVICES;

/**
 * The measure services this build can run, for the gateway's HUB_MEASURE_SERVICES: a notice whose measure
 * none of them owns is refused at the door rather than left `issued` for ever.
 */
export const DEPLOYABLE_MEASURE_SERVICES: readonly HubService[] =
  Object.keys(SERVICES).filter(isMeasureService);

/** `all` or a comma-separated list → names in start order; unknown names are an error. */
export function selectServices(arg: string): string[] {
  const all = Object.keys(SERVICES);
  if (arg === 'all') return all;
  const wanted = arg
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = wanted.filter((w) => !all.includes(w));
  if (unknown.length > 0)
    throw new Error(`unknown service(s): ${unknown.join(', ')}; known: ${all.join(', ')}`);
  return all.filter((s) => wanted.includes(s));
}
