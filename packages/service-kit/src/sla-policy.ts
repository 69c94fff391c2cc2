/**
 * The SLA policy a service plans deadlines with: the shipped DEFAULT_SLA, or the versioned policy ops put in the
 * JSON file named by HUB_SLA_POLICY_FILE (`{ version, source, rules, fallback }`, see `slaPolicyFileSchema` in
 * @hub/domain). Read once at boot; a bad file fails fast naming the variable. SLAs are configuration, not law
 * (DESIGN §4), so changing one is a new file with a new version, never a code change.
 */
import { DEFAULT_SLA, slaPolicyFileSchema, slaPolicyFrom, type VersionedSlaPolicy } from '@hub/domain';
import { readJsonFile } from './json-file.js';

export function loadSlaPolicy(file: string | undefined): VersionedSlaPolicy {
  if (file === undefined) return DEFAULT_SLA;
  const parsed = readJsonFile('HUB_SLA_POLICY_FILE', file, slaPolicyFileSchema);
  return Object.freeze(slaPolicyFrom(parsed));
}
