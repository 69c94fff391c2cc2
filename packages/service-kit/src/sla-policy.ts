/**
 * The SLA policy a service plans deadlines with: the shipped DEFAULT_SLA, or the versioned policy ops put in the
 * JSON file named by HUB_SLA_POLICY_FILE (`{ version, source, rules, fallback }`, see `slaPolicyFileSchema` in
 * @hub/domain). Read once at boot; a bad file fails fast naming the variable. SLAs are configuration, not law
 * (DESIGN §4), so changing one is a new file with a new version, never a code change.
 */
import { readFileSync } from 'node:fs';
import { DEFAULT_SLA, slaPolicyFileSchema, slaPolicyFrom, type VersionedSlaPolicy } from '@hub/domain';
import { ConfigError } from './config.js';

export function loadSlaPolicy(file: string | undefined): VersionedSlaPolicy {
  if (file === undefined) return DEFAULT_SLA;
  const problem = (text: string) => new ConfigError([{ variable: 'HUB_SLA_POLICY_FILE', problem: text }]);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw problem(`cannot read ${file} as JSON: ${(err as Error).message}`);
  }
  const parsed = slaPolicyFileSchema.safeParse(json);
  if (!parsed.success) {
    throw problem(
      `${file}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'} ${i.message}`).join('; ')}`,
    );
  }
  return Object.freeze(slaPolicyFrom(parsed.data));
}
