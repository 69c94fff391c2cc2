import { createHash } from 'node:crypto';

/** SHA-256 of the debtor's ID number or credit code: groups notices without keeping the number in clear. */
export function subjectKeyOf(debtor: { idNumber?: string; creditCode?: string } | undefined): string {
  return createHash('sha256')
    .update(debtor?.idNumber || debtor?.creditCode || '')
    .digest('hex');
}
