/**
 * Vault-protected values. An inline `!vault` value keeps its ciphertext so `--list` can print
 * it exactly as ansible-inventory does (`{"__ansible_vault": "<ciphertext>"}`); its plaintext
 * lives only in the core `Secret`, which masks itself everywhere it is printed.
 */
import { Secret } from '@shipshape/core';
import { InventoryError } from '@shipshape/core';
import { decryptVault } from './vault.js';

export class VaultValue extends Secret {
  constructor(
    plaintext: string,
    /** The vault envelope as written in the file. */
    readonly ciphertext: string,
    /** False when no vault password was given: the value cannot be used, only listed. */
    readonly unlocked: boolean,
    readonly file?: string,
  ) {
    super(plaintext);
  }
}

/** Decrypt an inline vault value when a password is known; keep it locked otherwise. */
export function vaultValue(ciphertext: string, passwords: readonly string[] | undefined, file?: string, line?: number): VaultValue {
  if (!passwords?.length) return new VaultValue('', ciphertext, false, file);
  try {
    return new VaultValue(decryptVault(ciphertext, passwords), ciphertext, true, file);
  } catch (e) {
    throw new InventoryError(`cannot decrypt !vault value: ${(e as Error).message}`, file, line, { cause: e });
  }
}

/**
 * A connection value as string or Secret. A vault value without a password stays locked (an
 * empty Secret) with a warning, so listing an inventory never needs the vault password.
 */
export function connectionValue(value: unknown, what: string, warn: (m: string) => void): string | Secret | undefined {
  if (value === undefined || value === null) return undefined;
  if (value instanceof VaultValue && !value.unlocked) {
    warn(`${what} is vault-encrypted and no vault password file was given`);
  }
  if (value instanceof Secret) return value;
  return String(value);
}
