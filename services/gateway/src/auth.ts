import { createHash, timingSafeEqual } from 'node:crypto';
import { HubError } from '@hub/domain';

/**
 * Court authentication by API key (Authorization: Bearer <key>). Keys are compared as SHA-256 digests
 * in constant time; a key acts only for its own court (法释〔2013〕20号: only authorised senders).
 */
export class CourtAuth {
  private readonly keys: { digest: Buffer; court: string }[];

  constructor(keys: ReadonlyMap<string, string>) {
    this.keys = [...keys].map(([key, court]) => ({ digest: digest(key), court }));
  }

  /** The court code the credentials act for. */
  authenticate(authorization: string | undefined): string {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    if (!match) throw new HubError('UNAUTHENTICATED');
    const d = digest(match[1]!);
    const found = this.keys.find((k) => timingSafeEqual(k.digest, d));
    if (!found) throw new HubError('UNAUTHENTICATED');
    return found.court;
  }

  static assertSameCourt(authenticated: string, court: string | undefined): void {
    if (court !== authenticated) throw new HubError('FORBIDDEN', [{ path: 'court.code' }]);
  }
}

const digest = (s: string) => createHash('sha256').update(s).digest();
