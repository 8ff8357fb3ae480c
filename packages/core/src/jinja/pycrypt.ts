/**
 * `password_hash`: the SHA-crypt hashes of crypt(3) (`$5$` SHA-256, `$6$` SHA-512; U. Drepper's
 * specification, as glibc and Python's crypt module make them), which the `user` module's `password`
 * takes. Without a salt, a random one of 16 characters, as Ansible draws it.
 */
import { createHash, randomInt } from 'node:crypto';
import { TemplateUsageError } from './errors.js';

const ITOA64 = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** crypt's base-64: `n` characters of three bytes, least significant six bits first. */
function b64From24(b2: number, b1: number, b0: number, n: number): string {
  let w = (b2 << 16) | (b1 << 8) | b0;
  let out = '';
  for (let i = 0; i < n; i++, w >>= 6) out += ITOA64[w & 0x3f];
  return out;
}

const ORDER = {
  sha512: [[0, 21, 42], [22, 43, 1], [44, 2, 23], [3, 24, 45], [25, 46, 4], [47, 5, 26], [6, 27, 48], [28, 49, 7], [50, 8, 29], [9, 30, 51], [31, 52, 10],
    [53, 11, 32], [12, 33, 54], [34, 55, 13], [56, 14, 35], [15, 36, 57], [37, 58, 16], [59, 17, 38], [18, 39, 60], [40, 61, 19], [62, 20, 41]],
  sha256: [[0, 10, 20], [21, 1, 11], [12, 22, 2], [3, 13, 23], [24, 4, 14], [15, 25, 5], [6, 16, 26], [27, 7, 17], [18, 28, 8], [9, 19, 29]],
} as const;

/** `bytes` repeated and cut to `length`. */
const repeatTo = (bytes: Buffer, length: number) => Buffer.concat(Array.from({ length: Math.ceil(length / bytes.length) }, () => bytes)).subarray(0, length);

function shaCrypt(alg: 'sha256' | 'sha512', password: string, saltText: string, rounds: number | undefined): string {
  const size = alg === 'sha512' ? 64 : 32;
  const p = Buffer.from(password, 'utf8');
  const s = Buffer.from(saltText, 'utf8').subarray(0, 16);
  const h = () => createHash(alg);
  const b = h().update(p).update(s).update(p).digest();
  const a = h().update(p).update(s);
  for (let i = p.length; i > 0; i -= size) a.update(b.subarray(0, Math.min(i, size)));
  for (let i = p.length; i > 0; i >>= 1) a.update(i & 1 ? b : p);
  const first = a.digest();
  const dp = h();
  for (let i = 0; i < p.length; i++) dp.update(p);
  const pSeq = p.length ? repeatTo(dp.digest(), p.length) : Buffer.alloc(0);
  const ds = h();
  for (let i = 0; i < 16 + first[0]!; i++) ds.update(s);
  const sSeq = repeatTo(ds.digest(), s.length);
  let c = first;
  const n = rounds ?? 5000;
  for (let i = 0; i < n; i++) {
    const x = h();
    x.update(i & 1 ? pSeq : c);
    if (i % 3) x.update(sSeq);
    if (i % 7) x.update(pSeq);
    x.update(i & 1 ? c : pSeq);
    c = x.digest();
  }
  let out = ORDER[alg].map(([i, j, k]) => b64From24(c[i]!, c[j]!, c[k]!, 4)).join('');
  out += alg === 'sha512' ? b64From24(0, 0, c[63]!, 2) : b64From24(0, c[31]!, c[30]!, 3);
  return `$${alg === 'sha512' ? 6 : 5}$${rounds === undefined ? '' : `rounds=${rounds}$`}${s.toString('utf8')}$${out}`;
}

const SALT_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789./';

/** Ansible's `password_hash(hashtype='sha512', salt=None, salt_size=None, rounds=None)`. */
export function passwordHash(password: string, hashtype: string, salt: string | null, saltSize: number | null, rounds: number | null): string {
  if (hashtype !== 'sha512' && hashtype !== 'sha256') {
    throw new TemplateUsageError(`password_hash: ${hashtype} is not supported here (sha512 and sha256 are)`);
  }
  if (rounds !== null && (!Number.isInteger(rounds) || rounds < 1000 || rounds > 999999999)) throw new TemplateUsageError(`password_hash: rounds must be an integer from 1000 to 999999999, not ${rounds}`);
  if (salt !== null && salt.length > 16) throw new TemplateUsageError('invalid salt size');
  if (salt !== null && !/^[./0-9A-Za-z]*$/.test(salt)) throw new TemplateUsageError(`invalid characters in ${hashtype}_crypt salt`);
  const s = salt ?? Array.from({ length: saltSize ?? 16 }, () => SALT_CHARS[randomInt(SALT_CHARS.length)]).join('');
  return shaCrypt(hashtype, password, s, rounds ?? undefined);
}
