/**
 * Load YAML/JSON variable and inventory files the way Ansible's DataLoader does: YAML 1.1
 * scalars (yes/no, 0755, 1:20), duplicate keys allowed (last wins), `!unsafe` kept as text,
 * inline `!vault` values decrypted to secrets, whole-file vaults decrypted first.
 */
import { parseDocument, LineCounter, visit, Scalar } from 'yaml';
import type { ScalarTag, Tags } from 'yaml';
import { InventoryError, secret } from '@shipshape/core';
import { readVaultedFile } from './vault.js';
import { VaultValue, vaultValue } from './secrets.js';
import { PYYAML_SCALARS, REPLACED_TAGS } from './yaml11.js';

export interface LoadContext {
  /** Vault passwords (one per password file given); none: vault values stay locked. */
  readonly vaultPasswords?: readonly string[];
}

/** Read and parse one YAML/JSON file. */
export function loadDataFile(file: string, ctx: LoadContext): unknown {
  const { text, vaulted } = readVaultedFile(file, ctx.vaultPasswords);
  const data = parseYaml(text, file, ctx);
  return vaulted ? markSecret(data) : data;
}

/** Parse YAML text; errors name the file, line and offending text. */
export function parseYaml(text: string, file: string, ctx: LoadContext): unknown {
  const lineCounter = new LineCounter();
  const vaultTag: ScalarTag = {
    tag: '!vault',
    resolve: (str: string) => vaultValue(str, ctx.vaultPasswords, file),
  };
  const unsafeTag: ScalarTag = { tag: '!unsafe', resolve: (str: string) => str };
  const doc = parseDocument(text, {
    version: '1.1',
    uniqueKeys: false,
    merge: true,
    lineCounter,
    prettyErrors: false,
    customTags: (tags: Tags) => [
      ...tags.filter((t) => typeof t !== 'object' || !REPLACED_TAGS.has(t.tag)),
      ...PYYAML_SCALARS,
      vaultTag,
      unsafeTag,
    ],
  });
  const err = doc.errors[0];
  if (err) {
    const pos = lineCounter.linePos(err.pos[0]);
    const lineText = text.split(/\r?\n/)[pos.line - 1] ?? '';
    throw new InventoryError(`${err.message.split('\n')[0]}: ${JSON.stringify(lineText.trim())}`, file, pos.line, {
      cause: err,
    });
  }
  if (!text.endsWith('\n')) unclipLastBlockScalar(doc, text.length);
  return doc.toJS({ maxAliasCount: -1 });
}

/**
 * A block scalar ending the file without a final newline: PyYAML (Ansible) keeps no trailing
 * newline, the yaml package adds one. Typical after `ansible-vault encrypt_string >> file`.
 */
function unclipLastBlockScalar(doc: ReturnType<typeof parseDocument>, end: number): void {
  visit(doc, {
    Scalar(_, node) {
      if ((node.type !== Scalar.BLOCK_LITERAL && node.type !== Scalar.BLOCK_FOLDED) || (node.range?.[1] ?? 0) < end) return;
      const v = node.value;
      if (typeof v === 'string' && v.endsWith('\n')) node.value = v.slice(0, -1);
      else if (v instanceof VaultValue && v.ciphertext.endsWith('\n')) {
        node.value = new VaultValue(v.value, v.ciphertext.slice(0, -1), v.unlocked, v.file);
      }
    },
  });
}

/** Every string leaf of a decrypted vault file becomes a core Secret. */
function markSecret(value: unknown): unknown {
  if (typeof value === 'string') return secret(value);
  if (Array.isArray(value)) return value.map(markSecret);
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, markSecret(v)]));
  }
  return value;
}
