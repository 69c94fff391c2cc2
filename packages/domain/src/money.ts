/**
 * Money is integer fen (分) everywhere: 执行标的, frozen and deducted amounts. Yuan strings are parsed digit by
 * digit and never pass through a float, so no fen is ever lost to rounding.
 */

/** An amount in fen: a safe integer. */
export type Fen = number;

export function isFen(value: unknown): value is Fen {
  return typeof value === 'number' && Number.isSafeInteger(value);
}

function assertFen(value: unknown, what: string): asserts value is Fen {
  if (!isFen(value)) throw new RangeError(`${what} is not a safe integer number of fen: ${String(value)}`);
}

function checked(result: number, what: string): Fen {
  if (!Number.isSafeInteger(result)) throw new RangeError(`${what} overflows the safe integer range`);
  return result === 0 ? 0 : result; // never hand out -0
}

// Optional sign; integer part plain or grouped in threes with commas; up to two decimals.
const YUAN = /^(-)?(\d+|\d{1,3}(?:,\d{3})+)(?:\.(\d{1,2}))?$/;

/** Parses a yuan string like `1234.56`, `-0.5` or `1,234.56` into fen. Throws on anything else. */
export function parseYuan(text: string): Fen {
  const fen = tryParseYuan(text);
  if (fen === null)
    throw new RangeError(`not a yuan amount with at most two decimals: ${JSON.stringify(text)}`);
  return fen;
}

/** Like parseYuan, but returns null instead of throwing. */
export function tryParseYuan(text: string): Fen | null {
  if (typeof text !== 'string') return null;
  const m = YUAN.exec(text.trim());
  if (!m) return null;
  const digits = `${m[2]!.replaceAll(',', '')}${(m[3] ?? '').padEnd(2, '0')}`;
  const fen = BigInt(digits) * (m[1] ? -1n : 1n);
  if (fen > BigInt(Number.MAX_SAFE_INTEGER) || fen < BigInt(Number.MIN_SAFE_INTEGER)) return null;
  return checked(Number(fen), 'yuan amount');
}

/** Formats fen as yuan with thousands separators and two decimals: 123456 → `1,234.56`. */
export function formatYuan(fen: Fen): string {
  assertFen(fen, 'formatYuan argument');
  const negative = fen < 0;
  const digits = String(Math.abs(fen)).padStart(3, '0');
  const whole = digits.slice(0, -2).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}${whole}.${digits.slice(-2)}`;
}

export function addFen(a: Fen, b: Fen): Fen {
  assertFen(a, 'addFen left operand');
  assertFen(b, 'addFen right operand');
  return checked(a + b, 'addFen');
}

export function subFen(a: Fen, b: Fen): Fen {
  assertFen(a, 'subFen left operand');
  assertFen(b, 'subFen right operand');
  return checked(a - b, 'subFen');
}

export function sumFen(amounts: Iterable<Fen>): Fen {
  let total = 0;
  for (const amount of amounts) total = addFen(total, amount);
  return total;
}

export function minFen(a: Fen, b: Fen): Fen {
  assertFen(a, 'minFen left operand');
  assertFen(b, 'minFen right operand');
  return a < b ? a : b;
}
