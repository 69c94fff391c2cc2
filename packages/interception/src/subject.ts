import { createHash } from 'node:crypto';

/**
 * The key a subject (a resident ID or a unified social credit code) is kept under in the interception
 * projection and on the `restrictions` topic: SHA-256 of the normalised identifier, so neither Redis nor
 * Kafka tooling shows an ID number in clear. Normalised as the validators store them (upper case, trimmed).
 */
export function subjectHash(identifier: string): string {
  return createHash('sha256').update(identifier.trim().toUpperCase()).digest('hex');
}
