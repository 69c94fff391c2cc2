import * as adapterBank from '@hub/adapter-bank';
import * as adapterProvidentFund from '@hub/adapter-provident-fund';
import * as adapterPublicSecurity from '@hub/adapter-public-security';
import * as adapterRealEstate from '@hub/adapter-real-estate';
import * as agencySim from '@hub/agency-sim';
import { type Clock, type HubService, isMeasureService } from '@hub/domain';
import * as freezeDeduct from '@hub/freeze-deduct';
import * as gateway from '@hub/gateway';
import * as punishment from '@hub/punishment';
import * as query from '@hub/query';
import type { Logger, ServiceApp } from '@hub/service-kit';
import * as tracker from '@hub/tracker';

type Env = Record<string, string | undefined>;
type Builder = (env: Env, deps: { logger: Logger; clock: Clock }) => ServiceApp;

/** What each service package exports to be run: its config from the environment, and its app. */
interface ServiceModule<C> {
  loadConfig(env: Env): C;
  buildApp(config: C, deps: { logger: Logger; clock: Clock }): ServiceApp;
}
const module = <C>(m: ServiceModule<C>): ServiceModule<unknown> => m as ServiceModule<unknown>;

/**
 * Every service package, in start order: readers of a topic before its writers matters little (consumers
 * start from the beginning), but the tracker before the gateway lets status reads succeed from the first
 * notice.
 */
export const SERVICE_MODULES: Record<string, ServiceModule<unknown>> = {
  tracker: module(tracker),
  'adapter-bank': module(adapterBank),
  'adapter-real-estate': module(adapterRealEstate),
  'adapter-public-security': module(adapterPublicSecurity),
  'adapter-provident-fund': module(adapterProvidentFund),
  query: module(query),
  'freeze-deduct': module(freezeDeduct),
  punishment: module(punishment),
  gateway: module(gateway),
  'agency-sim': module(agencySim),
};

/** Every service as a builder from the environment, in start order. */
export const SERVICES: Record<string, Builder> = Object.fromEntries(
  Object.entries(SERVICE_MODULES).map(([name, m]) => [
    name,
    (env, deps) => m.buildApp(m.loadConfig(env), deps),
  ]),
);

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
