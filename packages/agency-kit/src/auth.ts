import { createHash, timingSafeEqual } from 'node:crypto';
import { HubError } from '@hub/domain';
import { ConfigError } from '@hub/service-kit';

/**
 * Agency authentication by API key (`x-agency-key`): each key belongs to exactly one institution, which
 * then sees only its own requests. Keys are compared as SHA-256 digests in constant time.
 */
export class AgencyAuth {
  private readonly keys: { digest: Buffer; institution: string }[];

  constructor(keys: ReadonlyMap<string, string>) {
    this.keys = [...keys].map(([institution, key]) => ({ digest: digest(key), institution }));
  }

  institutionOf(key: string | string[] | undefined): string {
    if (typeof key !== 'string' || key.length === 0) throw new HubError('UNAUTHENTICATED');
    const d = digest(key);
    const found = this.keys.find((k) => timingSafeEqual(k.digest, d));
    if (!found) throw new HubError('UNAUTHENTICATED');
    return found.institution;
  }
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/** `ICBC=key1,CCB=key2` → Map(institution → key). */
export function parseAgencyKeys(s: string): Map<string, string> {
  return new Map(
    s
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean)
      .map((p) => {
        const [institution, key] = p.split('=');
        if (!institution || !key) throw new Error(`agency key "${p}" is not INSTITUTION=key`);
        return [institution, key] as [string, string];
      }),
  );
}

/** Local demo keys: `<code in lower case>-demo-key` for each connected institution. */
export function demoAgencyKeys(institutions: readonly string[]): string {
  return institutions.map((i) => `${i}=${i.toLowerCase()}-demo-key`).join(',');
}

/**
 * Agency keys from a configuration variable (`INSTITUTION=key` pairs), or the local demo keys of the
 * connected institutions when it is unset; a malformed value fails boot naming the variable.
 */
export function agencyKeysFrom(variable: string, value: string | undefined, institutions: readonly string[]) {
  try {
    return parseAgencyKeys(value ?? demoAgencyKeys(institutions));
  } catch (err) {
    throw new ConfigError([{ variable, problem: (err as Error).message }]);
  }
}
