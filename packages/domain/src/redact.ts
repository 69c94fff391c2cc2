/**
 * Masks personal data for logs (DESIGN §5: ID numbers, names and account numbers never appear in clear).
 * Masks keep length, so a log reader can still tell one shape from another.
 */

const stars = (n: number) => '*'.repeat(Math.max(0, n));

/** Keeps the region code and the last four: `11010519491231002X` → `110105********002X`. */
export function maskIdNumber(id: string): string {
  const chars = Array.from(id);
  if (chars.length <= 10) return stars(chars.length);
  return chars.slice(0, 6).join('') + stars(chars.length - 10) + chars.slice(-4).join('');
}

/** Keeps the surname's first character: `李某某` → `李**`. A one-character name is fully masked. */
export function maskName(name: string): string {
  const chars = Array.from(name);
  if (chars.length <= 1) return stars(chars.length);
  return chars[0]! + stars(chars.length - 1);
}

/** Keeps the first and last four: `6222020200112233445` → `6222***********3445`. */
export function maskAccount(account: string): string {
  const chars = Array.from(account);
  if (chars.length <= 8) return stars(chars.length);
  return chars.slice(0, 4).join('') + stars(chars.length - 8) + chars.slice(-4).join('');
}

/** Keeps the last four digits of a phone number. */
export function maskPhone(phone: string): string {
  const chars = Array.from(phone);
  return chars.map((c, i) => (i < chars.length - 4 && /\d/.test(c) ? '*' : c)).join('');
}

type DebtorLike =
  | { kind: 'person'; name: string; idNumber: string }
  | {
      kind: 'organisation';
      name: string;
      creditCode: string;
      legalRepresentative?: { name: string; idNumber: string } | undefined;
    };

/** A debtor fit for a log line. An organisation's name and credit code are public; its representative is not. */
export function redactDebtor<D extends DebtorLike>(debtor: D): D {
  if (debtor.kind === 'person') {
    return { ...debtor, name: maskName(debtor.name), idNumber: maskIdNumber(debtor.idNumber) };
  }
  const rep = debtor.legalRepresentative;
  return rep
    ? { ...debtor, legalRepresentative: { name: maskName(rep.name), idNumber: maskIdNumber(rep.idNumber) } }
    : debtor;
}
