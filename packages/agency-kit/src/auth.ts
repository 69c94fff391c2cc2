import { HubError } from '@hub/domain';
import { ConfigError, credentialOrDemo } from '@hub/service-kit';
import type { Redis } from 'ioredis';
import {
  canonicalRequest,
  hmac,
  SIGNATURE_HEADERS,
  SIGNATURE_WINDOW_MS,
  signaturesEqual,
} from './signing.js';

type Headers = Record<string, string | string[] | undefined>;

export interface VerifiedCaller {
  institution: string;
  /** What the agency signed, kept with its answers as evidence (法释〔2013〕20号: signatures stay verifiable). */
  signature: { timestamp: string; nonce: string; signature: string; bodySha256Hmac: string };
}

/** A header's value when it is a non-empty string, else undefined (a module function, not a closure made per signed call). */
function header(headers: Headers, name: string): string | undefined {
  const v = headers[name];
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}

/** A signature's timestamp: RFC 3339 date and time with fractional seconds optional, and a zone. */
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Agency authentication by HMAC-signed requests (see signing.ts): each secret belongs to exactly one
 * institution, which then sees and answers only its own requests. Replays are refused by remembering
 * every nonce for the signature window in Redis.
 */
export class AgencyAuth {
  constructor(
    private readonly secrets: ReadonlyMap<string, string>,
    private readonly redis: Redis,
    private readonly nonceKeyPrefix: string,
    private readonly realNow: () => number = Date.now,
  ) {}

  async verify(
    method: string,
    path: string,
    headers: Headers,
    body: Buffer | string,
  ): Promise<VerifiedCaller> {
    const caller = this.authenticate(method, path, headers, body);
    await this.consumeNonce(caller);
    return caller;
  }

  /**
   * Everything but the nonce: who signed, and that the signature and timestamp hold. The caller must then
   * `consumeNonce` before acting (the interception routes send it in the same Redis round trip as their read).
   */
  authenticate(method: string, path: string, headers: Headers, body: Buffer | string): VerifiedCaller {
    const institution = header(headers, SIGNATURE_HEADERS.id);
    const timestamp = header(headers, SIGNATURE_HEADERS.timestamp);
    const nonce = header(headers, SIGNATURE_HEADERS.nonce);
    const signature = header(headers, SIGNATURE_HEADERS.signature);
    if (!institution || !timestamp || !nonce || !signature) {
      throw new HubError('UNAUTHENTICATED', [{ code: 'SIGNATURE_HEADERS_MISSING' }]);
    }
    const secret = this.secrets.get(institution);
    if (!secret) throw new HubError('UNAUTHENTICATED', [{ code: 'UNKNOWN_AGENCY' }]);
    const expected = hmac(secret, canonicalRequest(method, path, timestamp, nonce, body));
    if (!signaturesEqual(expected, signature)) throw new HubError('SIGNATURE_INVALID');
    // RFC 3339 with its zone (Z or an offset) only: Date.parse also reads an HTTP date, and a time with no zone in
    // the server's own zone.
    if (!RFC3339.test(timestamp)) throw new HubError('REQUEST_REPLAYED', [{ code: 'TIMESTAMP_NOT_RFC3339' }]);
    const at = Date.parse(timestamp);
    if (nonce.length < 16) throw new HubError('REQUEST_REPLAYED', [{ code: 'NONCE_TOO_SHORT' }]);
    if (nonce.length > 128) throw new HubError('REQUEST_REPLAYED', [{ code: 'NONCE_TOO_LONG' }]);
    if (!Number.isFinite(at) || Math.abs(this.realNow() - at) > SIGNATURE_WINDOW_MS) {
      throw new HubError('REQUEST_REPLAYED', [{ code: 'TIMESTAMP_OUT_OF_WINDOW' }]);
    }
    return { institution, signature: { timestamp, nonce, signature, bodySha256Hmac: expected } };
  }

  /**
   * Remembers the nonce for the signature window; a nonce seen before is a replay. Only a correctly signed
   * request consumes its nonce (call after `authenticate`), so nobody can burn a partner's nonces.
   */
  async consumeNonce(caller: VerifiedCaller): Promise<void> {
    const { key, ttlMs } = this.nonceOf(caller);
    const fresh = await this.redis.set(key, '1', 'PX', ttlMs, 'NX');
    if (fresh !== 'OK') throw nonceReused();
  }

  /** Where and for how long a caller's nonce is remembered: for a read that takes it in the same command. */
  nonceOf(caller: VerifiedCaller): { key: string; ttlMs: number } {
    return {
      key: `${this.nonceKeyPrefix}${caller.institution}:${caller.signature.nonce}`,
      ttlMs: 2 * SIGNATURE_WINDOW_MS,
    };
  }
}

/** A nonce seen before within the window: the call is a replay. */
export const nonceReused = () => new HubError('REQUEST_REPLAYED', [{ code: 'NONCE_REUSED' }]);

/** `ICBC=secret1,CCB=secret2` → Map(institution → secret). */
export function parseAgencyKeys(s: string): Map<string, string> {
  return new Map(
    s
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean)
      .map((p) => {
        const [institution, key] = p.split('=');
        if (!institution || !key) throw new Error(`agency key "${p}" is not INSTITUTION=secret`);
        if (key.length < 12) throw new Error(`the secret of ${institution} is shorter than 12 characters`);
        return [institution, key] as [string, string];
      }),
  );
}

/** Local demo secrets: `<code in lower case>-demo-secret` for each connected institution. */
export function demoAgencyKeys(institutions: readonly string[]): string {
  return institutions.map((i) => `${i}=${i.toLowerCase()}-demo-secret`).join(',');
}

/**
 * Agency secrets from a configuration variable (`INSTITUTION=secret` pairs), or, unset in demo mode (HUB_DEMO),
 * the local demo secrets of the connected institutions; unset outside it, or malformed, fails boot naming the
 * variable.
 */
export function agencyKeysFrom(
  variable: string,
  value: string | undefined,
  institutions: readonly string[],
  demo: boolean,
) {
  const configured = credentialOrDemo(variable, value, demo);
  try {
    const keys = parseAgencyKeys(configured ?? demoAgencyKeys(institutions));
    // `,` parses to no key at all: refused like a missing one, not started as an adapter no one can call.
    if (configured !== undefined && keys.size === 0)
      throw new Error('names no key (INSTITUTION=secret pairs)');
    return keys;
  } catch (err) {
    throw new ConfigError([{ variable, problem: (err as Error).message }]);
  }
}
