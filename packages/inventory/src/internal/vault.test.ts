// Ansible Vault 1.1/1.2 against envelopes written by `ansible-vault encrypt` (fixtures/vault.json).
import { describe, it, expect } from '@jest/globals';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decryptVault, encryptVault, isVaultText, readVaultPassword } from './vault.js';

const f = JSON.parse(
  readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'vault.json'), 'utf8'),
) as { password: string; plaintext: string; v11: string; v12: string };

describe('ansible vault', () => {
  it('decrypts 1.1 and 1.2 envelopes from ansible-vault', () => {
    expect(f.v11.startsWith('$ANSIBLE_VAULT;1.1;AES256\n')).toBe(true);
    expect(f.v12.startsWith('$ANSIBLE_VAULT;1.2;AES256;lab\n')).toBe(true);
    expect(decryptVault(f.v11, f.password)).toBe(f.plaintext);
    expect(decryptVault(f.v12, f.password)).toBe(f.plaintext);
  });

  it('tries several passwords (several --vault-id) in turn', () => {
    expect(decryptVault(f.v12, ['nope', f.password])).toBe(f.plaintext);
    expect(() => decryptVault(f.v12, ['nope', 'neither'])).toThrow('HMAC verification failed');
  });

  it('refuses a wrong password and a tampered payload', () => {
    expect(() => decryptVault(f.v11, 'wrong')).toThrow('HMAC verification failed');
    const lines = f.v11.split('\n');
    lines[2] = lines[2]!.replace(/^./, (c) => (c === '3' ? '6' : '3'));
    expect(() => decryptVault(lines.join('\n'), f.password)).toThrow();
    expect(() => decryptVault(f.v11.trimEnd() + 'key: value\n', f.password)).toThrow('not hexadecimal');
  });

  it('round-trips its own encryption in the same format', () => {
    for (const id of [undefined, 'prod']) {
      const env = encryptVault('s3cret\n', 'pw', id);
      expect(isVaultText(env)).toBe(true);
      expect(env.split('\n')[0]).toBe(id ? '$ANSIBLE_VAULT;1.2;AES256;prod' : '$ANSIBLE_VAULT;1.1;AES256');
      expect(env.split('\n').slice(1, -1).every((l) => /^[0-9a-f]{1,80}$/.test(l))).toBe(true);
      expect(decryptVault(env, 'pw')).toBe('s3cret\n');
    }
  });

  it('reads a password file (stripped) or runs an executable one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ss-vault-'));
    writeFileSync(join(dir, 'pass'), '  hunter2 \n');
    expect(readVaultPassword(join(dir, 'pass'))).toBe('hunter2');
    writeFileSync(join(dir, 'pass.sh'), '#!/bin/sh\necho from-script\n');
    chmodSync(join(dir, 'pass.sh'), 0o755);
    expect(readVaultPassword(join(dir, 'pass.sh'))).toBe('from-script');
    expect(readVaultPassword(`prod@${join(dir, 'pass')}`)).toBe('hunter2');
    writeFileSync(join(dir, 'empty'), '\n');
    expect(() => readVaultPassword(join(dir, 'empty'))).toThrow('is empty');
  });
});
