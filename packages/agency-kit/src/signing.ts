import { createHmac, hash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Agency request signing (X-Road style: every request a signed, time-stamped document). A partner signs
 *
 *   METHOD \n PATH?QUERY \n TIMESTAMP \n NONCE \n hex(SHA-256(body))
 *
 * with HMAC-SHA256 under its institution's secret and sends
 *   x-agency-id: ICBC
 *   x-agency-timestamp: 2026-11-23T09:00:00.000Z   (within ±5 minutes of the adapter's real clock)
 *   x-agency-nonce: 16–128 random characters, never reused (NONCE_TOO_SHORT, NONCE_TOO_LONG)
 *   x-agency-signature: base64(HMAC)
 * The adapter recomputes the HMAC, refuses stale timestamps and remembers nonces (Redis, SET NX) for the
 * whole window, so a captured request cannot be replayed.
 */
export const SIGNATURE_HEADERS = {
  id: 'x-agency-id',
  timestamp: 'x-agency-timestamp',
  nonce: 'x-agency-nonce',
  signature: 'x-agency-signature',
} as const;

export const SIGNATURE_WINDOW_MS = 5 * 60_000;

export function canonicalRequest(
  method: string,
  path: string,
  timestamp: string,
  nonce: string,
  body: Buffer | string,
) {
  const bodyHash = hash('sha256', body, 'hex');
  return `${method.toUpperCase()}\n${path}\n${timestamp}\n${nonce}\n${bodyHash}`;
}

export function hmac(secret: string, text: string): string {
  return createHmac('sha256', secret).update(text).digest('base64');
}

export function signaturesEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Client side (partners, the mock agencies, tests): the headers for one signed request. */
export function signAgencyRequest(options: {
  institution: string;
  secret: string;
  method: string;
  /** Path with query string, exactly as sent. */
  path: string;
  body?: string;
  now?: Date;
  nonce?: string;
}): Record<string, string> {
  const timestamp = (options.now ?? new Date()).toISOString();
  const nonce = options.nonce ?? randomBytes(16).toString('hex');
  const signature = hmac(
    options.secret,
    canonicalRequest(options.method, options.path, timestamp, nonce, options.body ?? ''),
  );
  return {
    [SIGNATURE_HEADERS.id]: options.institution,
    [SIGNATURE_HEADERS.timestamp]: timestamp,
    [SIGNATURE_HEADERS.nonce]: nonce,
    [SIGNATURE_HEADERS.signature]: signature,
  };
}
