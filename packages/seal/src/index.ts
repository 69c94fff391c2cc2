import { createHash, createPrivateKey, createPublicKey, type KeyObject, sign, verify } from 'node:crypto';
import { NoticeSubmission, type Seal } from '@hub/contracts';
import { ConfigError, credentialOrDemo } from '@hub/service-kit';

/**
 * Electronic seals (电子签章) over notices: Ed25519 signatures over the protobuf encoding of the notice.
 * The gateway seals on behalf of the authenticated court (as an X-Road security server signs for its
 * member); adapters verify before an agency ever sees the request, and hand the agency both the sealed
 * bytes and the seal so it can verify independently.
 *
 * Keys come from configuration (`court=base64 DER` pairs: PKCS#8 private keys for the gateway, SPKI
 * public keys for adapters). Without configuration, deterministic DEMO keys derived from the court code
 * are used: fine for a laptop, worthless as security, and announced as such at boot.
 */
export const SEAL_ALGORITHM = 'Ed25519';
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export const sealKeyId = (court: string) => `court:${court}`;

export function demoPrivateKey(court: string): KeyObject {
  const seed = createHash('sha256').update(`enforcement-hub demo seal ${court}`).digest();
  return createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: 'der', type: 'pkcs8' });
}

export function sealedBytes(notice: NoticeSubmission): Buffer {
  return Buffer.from(NoticeSubmission.encode(notice).finish());
}

export class Sealer {
  private readonly demoKeys = new Map<string, KeyObject>();

  constructor(private readonly keys: ReadonlyMap<string, KeyObject> | 'demo') {}

  seal(court: string, notice: NoticeSubmission): Seal {
    const key = this.keys === 'demo' ? this.demoKey(court) : this.keys.get(court);
    if (!key) throw new Error(`no seal key for court ${court}`);
    return {
      keyId: sealKeyId(court),
      algorithm: SEAL_ALGORITHM,
      signature: sign(null, sealedBytes(notice), key),
    };
  }

  private demoKey(court: string): KeyObject {
    let key = this.demoKeys.get(court);
    if (!key) {
      key = demoPrivateKey(court);
      this.demoKeys.set(court, key);
    }
    return key;
  }
}

export type SealCheck =
  | { ok: true }
  | { ok: false; code: 'SEAL_MISSING' | 'SEAL_UNKNOWN_KEY' | 'SEAL_INVALID' };

const VERIFIED_CACHE = 10_000;

/**
 * Verdicts of Ed25519 verifications, shared by every verifier of the process: a verdict depends only on the
 * public key, the bytes and the signature, which its memo key names (the key by its SPKI encoding, so two
 * services that each parsed the same configured key share it). One notice fans out to many requests carrying
 * the same seal, and in the one-process hub four adapters and the measure services check each of them.
 */
const verdicts = new Map<string, boolean>();
const spkiOf = new WeakMap<KeyObject, string>();
/** Demo public keys, derived once per court for the whole process. */
const demoPublicKeys = new Map<string, KeyObject>();

function spki(key: KeyObject): string {
  let der = spkiOf.get(key);
  if (der === undefined) {
    der = key.export({ format: 'der', type: 'spki' }).toString('base64');
    spkiOf.set(key, der);
  }
  return der;
}

export class SealVerifier {
  constructor(private readonly keys: ReadonlyMap<string, KeyObject> | 'demo') {}

  publicKeyOf(court: string): KeyObject | undefined {
    if (this.keys !== 'demo') return this.keys.get(court);
    let key = demoPublicKeys.get(court);
    if (!key) {
      key = createPublicKey(demoPrivateKey(court));
      demoPublicKeys.set(court, key);
    }
    return key;
  }

  /** Does `seal` verify over `notice` as the seal of the notice's own court? */
  check(notice: NoticeSubmission | undefined, seal: Seal | undefined): SealCheck {
    if (!notice || !seal || seal.signature.length === 0) return { ok: false, code: 'SEAL_MISSING' };
    const court = notice.court?.code ?? '';
    const key = seal.keyId === sealKeyId(court) ? this.publicKeyOf(court) : undefined;
    if (!key || seal.algorithm !== SEAL_ALGORITHM) return { ok: false, code: 'SEAL_UNKNOWN_KEY' };
    const bytes = sealedBytes(notice);
    const memo = `${spki(key)}|${Buffer.from(seal.signature).toString('base64')}|${createHash('sha256').update(bytes).digest('base64')}`;
    let ok = verdicts.get(memo);
    if (ok === undefined) {
      ok = verify(null, bytes, key, Buffer.from(seal.signature));
      if (verdicts.size >= VERIFIED_CACHE) verdicts.clear();
      verdicts.set(memo, ok);
    }
    return ok ? { ok: true } : { ok: false, code: 'SEAL_INVALID' };
  }
}

/**
 * `court=base64DER,…` from a variable, as private (pkcs8) or public (spki) keys. Unset: 'demo' in demo mode
 * (HUB_DEMO), otherwise boot fails naming the variable.
 */
export function sealKeysFrom(
  variable: string,
  value: string | undefined,
  kind: 'private' | 'public',
  demo: boolean,
): ReadonlyMap<string, KeyObject> | 'demo' {
  const configured = credentialOrDemo(variable, value, demo);
  if (configured === undefined) return 'demo';
  let keys: Map<string, KeyObject>;
  try {
    keys = new Map(
      configured
        .split(',')
        .map((p) => p.trim())
        .filter(Boolean)
        .map((p) => {
          const i = p.indexOf('=');
          if (i <= 0) throw new Error(`"${p.slice(0, 20)}…" is not court=base64DER`);
          const der = Buffer.from(p.slice(i + 1), 'base64');
          const key =
            kind === 'private'
              ? createPrivateKey({ key: der, format: 'der', type: 'pkcs8' })
              : createPublicKey({ key: der, format: 'der', type: 'spki' });
          return [p.slice(0, i), key] as [string, KeyObject];
        }),
    );
  } catch (err) {
    throw new ConfigError([{ variable, problem: (err as Error).message }]);
  }
  // `,` parses to no key at all: a service that could seal or verify nothing must not start as if configured.
  if (keys.size === 0) throw new ConfigError([{ variable, problem: 'names no key (court=base64DER pairs)' }]);
  return keys;
}
