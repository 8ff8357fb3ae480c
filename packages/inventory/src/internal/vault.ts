/**
 * Ansible Vault 1.1 / 1.2 (AES256): PBKDF2-SHA256 (10000 rounds) derives an AES-256-CTR key,
 * an HMAC-SHA256 key and the counter IV from the password and salt; the payload is hexlified
 * twice. Implemented with node:crypto only.
 */
import { createCipheriv, createDecipheriv, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';
import { accessSync, constants, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { InventoryError } from '@shipshape/core';
import { InventoryValueError } from './errors.js';

const HEADER = '$ANSIBLE_VAULT';

export function isVaultText(text: string): boolean {
  return text.trimStart().startsWith(HEADER);
}

/**
 * The text of `file`, decrypted first when the whole file is a vault (`vaulted` then). Errors name the
 * file: unreadable, a vault without a password (`what` says what it is), or one none of them opens.
 */
export function readVaultedFile(file: string, passwords: readonly string[] | undefined, what = 'file'): { text: string; vaulted: boolean } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new InventoryError(`cannot read: ${(e as Error).message}`, file, undefined, { cause: e });
  }
  if (!isVaultText(text)) return { text, vaulted: false };
  if (!passwords?.length) throw new InventoryError(`${what} is vault-encrypted and no vault password file was given`, file);
  try {
    return { text: decryptVault(text, passwords), vaulted: true };
  } catch (e) {
    throw new InventoryError(`cannot decrypt: ${(e as Error).message}`, file, undefined, { cause: e });
  }
}

function deriveKeys(password: string, salt: Buffer): { key: Buffer; hmacKey: Buffer; iv: Buffer } {
  const derived = pbkdf2Sync(Buffer.from(password, 'utf8'), salt, 10000, 80, 'sha256');
  return { key: derived.subarray(0, 32), hmacKey: derived.subarray(32, 64), iv: derived.subarray(64, 80) };
}

/** Strict hex decoding (Buffer.from silently stops at the first bad digit). */
function unhex(text: string, what: string): Buffer {
  if (text.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(text)) throw new InventoryValueError(`malformed vault ${what}: not hexadecimal`);
  return Buffer.from(text, 'hex');
}

/**
 * Decrypt a vault envelope with a password, or the first of several that fits (like several
 * --vault-id); throws with a plain message on a bad header, HMAC or password.
 */
export function decryptVault(envelope: string, password: string | readonly string[]): string {
  if (typeof password !== 'string') {
    if (!password.length) throw new InventoryValueError('no vault password given');
    let last: unknown;
    for (const p of password) {
      try {
        return decryptVault(envelope, p);
      } catch (e) {
        last = e;
      }
    }
    throw last;
  }
  const lines = envelope.trim().split(/\r?\n/);
  const header = lines[0]!.trim().split(';');
  if (header[0] !== HEADER) throw new InventoryValueError('not an Ansible Vault envelope');
  if (header[1] !== '1.1' && header[1] !== '1.2') throw new InventoryValueError(`unsupported vault format version ${header[1]}`);
  if (header[2]?.trim() !== 'AES256') throw new InventoryValueError(`unsupported vault cipher ${header[2]}`);
  const outer = unhex(lines.slice(1).map((l) => l.trim()).join(''), 'payload').toString('ascii');
  const [saltHex, macHex, dataHex] = outer.split('\n');
  if (!saltHex || !macHex || dataHex === undefined) throw new InventoryValueError('malformed vault payload');
  const salt = unhex(saltHex, 'salt');
  const data = unhex(dataHex, 'ciphertext');
  const { key, hmacKey, iv } = deriveKeys(password, salt);
  const mac = createHmac('sha256', hmacKey).update(data).digest();
  const expected = unhex(macHex, 'HMAC');
  if (expected.length !== mac.length || !timingSafeEqual(mac, expected)) {
    throw new InventoryValueError('HMAC verification failed: wrong vault password or corrupted data');
  }
  const decipher = createDecipheriv('aes-256-ctr', key, iv);
  const padded = Buffer.concat([decipher.update(data), decipher.final()]);
  const pad = padded[padded.length - 1] ?? 0;
  if (pad < 1 || pad > 16) throw new InventoryValueError('bad vault padding');
  return padded.subarray(0, padded.length - pad).toString('utf8');
}

/** Encrypt like `ansible-vault encrypt` (format 1.1, or 1.2 with a vault id). */
export function encryptVault(plaintext: string, password: string, vaultId?: string): string {
  const salt = randomBytes(32);
  const { key, hmacKey, iv } = deriveKeys(password, salt);
  const raw = Buffer.from(plaintext, 'utf8');
  const pad = 16 - (raw.length % 16);
  const cipher = createCipheriv('aes-256-ctr', key, iv);
  const data = Buffer.concat([cipher.update(Buffer.concat([raw, Buffer.alloc(pad, pad)])), cipher.final()]);
  const mac = createHmac('sha256', hmacKey).update(data).digest('hex');
  const body = Buffer.from(`${salt.toString('hex')}\n${mac}\n${data.toString('hex')}`, 'ascii').toString('hex');
  const header = vaultId ? `${HEADER};1.2;AES256;${vaultId}` : `${HEADER};1.1;AES256`;
  return [header, ...(body.match(/.{1,80}/g) ?? [])].join('\n') + '\n';
}

/**
 * Read a vault password file; an executable file is run and its stdout used, as Ansible does.
 * A `label@file` vault id is accepted (the label is not needed to decrypt).
 */
export function readVaultPassword(spec: string): string {
  const at = spec.indexOf('@');
  const file = at > 0 && !spec.slice(0, at).includes('/') ? spec.slice(at + 1) : spec;
  let executable = false;
  try {
    accessSync(file, constants.X_OK);
    executable = true;
  } catch {
    executable = false;
  }
  const raw = executable ? execFileSync(file, { encoding: 'utf8' }) : readFileSync(file, 'utf8');
  const password = raw.trim();
  if (!password) throw new InventoryValueError(`vault password file ${file} is empty`);
  return password;
}
