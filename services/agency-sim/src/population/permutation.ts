/**
 * A keyed permutation of [0, size): a balanced Feistel network over the smallest even number of bits that
 * covers `size`, restricted to [0, size) by cycle walking. It lets a generator hand out identifiers that look
 * random yet are unique by construction and invertible — how `findSubject` recovers an index from an ID.
 */
import { mix32 } from './rng.js';

const ROUNDS = 4;
const MAX_SIZE = 2 ** 30;

function halfBits(size: number): number {
  if (!Number.isSafeInteger(size) || size < 2 || size > MAX_SIZE) {
    throw new RangeError(`permutation size must be an integer in 2..2^30, got ${size}`);
  }
  return Math.ceil(Math.ceil(Math.log2(size)) / 2);
}

function round(key: number, r: number, half: number, mask: number): number {
  return mix32(key ^ Math.imul(r + 1, 0x9e3779b9) ^ mix32(half)) & mask;
}

function encrypt(key: number, h: number, x: number): number {
  const mask = (1 << h) - 1;
  let left = x >>> h;
  let right = x & mask;
  for (let r = 0; r < ROUNDS; r++) [left, right] = [right, left ^ round(key, r, right, mask)];
  return left * 2 ** h + right;
}

function decrypt(key: number, h: number, y: number): number {
  const mask = (1 << h) - 1;
  let left = Math.floor(y / 2 ** h);
  let right = y & mask;
  for (let r = ROUNDS - 1; r >= 0; r--) [left, right] = [right ^ round(key, r, left, mask), left];
  return left * 2 ** h + right;
}

function checkIndex(x: number, size: number): void {
  if (!Number.isSafeInteger(x) || x < 0 || x >= size) throw new RangeError(`${x} is outside [0, ${size})`);
}

/** The image of `x` under the permutation of [0, size) named by `key`. */
export function permute(key: number, size: number, x: number): number {
  const h = halfBits(size);
  checkIndex(x, size);
  let y = encrypt(key, h, x);
  while (y >= size) y = encrypt(key, h, y);
  return y;
}

/** The inverse: `unpermute(k, n, permute(k, n, x)) === x`. */
export function unpermute(key: number, size: number, y: number): number {
  const h = halfBits(size);
  checkIndex(y, size);
  let x = decrypt(key, h, y);
  while (x >= size) x = decrypt(key, h, x);
  return x;
}
