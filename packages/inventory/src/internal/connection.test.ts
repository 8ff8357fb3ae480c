// Data-driven: every fixtures/connection/*.json is { name?, vars, sshConfig?, connection | error,
// become?, warnings? }; "HOME" in expected paths stands for the home directory.
import { describe, it, expect } from '@jest/globals';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { maskDeep, Secret } from '@shipshape/core';
import { fixtureCases } from '@shipshape/core/testing';
import { buildBecome, buildConnection } from './connection.js';
import { SshConfigFile } from './sshconfig.js';
import { VaultValue } from './secrets.js';

const tmp = mkdtempSync(join(tmpdir(), 'ss-conn-'));

interface Case {
  name?: string;
  vars: Record<string, unknown>;
  sshConfig?: string;
  connection?: unknown;
  become?: unknown;
  error?: string;
  warnings?: string[];
}

/** Secrets compared by value, "HOME" expanded. */
const plain = (v: unknown): unknown => {
  if (v instanceof Secret) return v.value;
  if (typeof v === 'string') return v.replaceAll(homedir(), 'HOME');
  if (Array.isArray(v)) return v.map(plain);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  return v;
};

describe.each(fixtureCases<Case>(new URL('./fixtures/connection/', import.meta.url)))('connection case %s', (file, c) => {
  it('maps variables to ConnectionSpec / BecomeSpec', async () => {
    let ssh = await SshConfigFile.load(false);
    if (c.sshConfig) {
      const p = join(tmp, file + '.cfg');
      writeFileSync(p, c.sshConfig);
      ssh = await SshConfigFile.load(p);
    }
    const warnings: string[] = [];
    const warn = (m: string): void => void warnings.push(m);
    const name = c.name ?? 'h1';
    if (c.error) {
      expect(() => buildConnection(name, c.vars, ssh, warn)).toThrow(c.error);
      return;
    }
    expect(plain(buildConnection(name, c.vars, ssh, warn))).toEqual(c.connection);
    expect(plain(buildBecome(name, c.vars, warn))).toEqual(c.become);
    expect(warnings).toEqual(c.warnings ?? []);
  });
});

describe('vault-protected connection values', () => {
  it('keeps a decrypted password as a Secret', async () => {
    const v = new VaultValue('pw', '$ANSIBLE_VAULT;1.1;AES256\n00', true);
    const spec = buildConnection('h', { ansible_password: v }, await SshConfigFile.load(false), () => undefined);
    expect(spec.password).toBe(v);
    // Shown through the masking step every event and error passes.
    expect(JSON.stringify(maskDeep(spec))).not.toContain('"pw"');
  });
  it('warns when a vault value cannot be decrypted for lack of a password', async () => {
    const warnings: string[] = [];
    const v = new VaultValue('', '$ANSIBLE_VAULT;1.1;AES256\n00', false, 'group_vars/all.yml');
    buildConnection('h', { ansible_password: v }, await SshConfigFile.load(false), (m) => warnings.push(m));
    expect(warnings).toEqual(['password of h is vault-encrypted and no vault password file was given']);
  });
});

describe('ssh_config files', () => {
  it('follows Include (globs, relative to the config directory) in place', async () => {
    const d = mkdtempSync(join(tmpdir(), 'ss-sshcfg-'));
    mkdirSync(join(d, 'conf.d'));
    writeFileSync(join(d, 'config'), 'Host first\n  User one\nInclude conf.d/*.conf\nHost *\n  User fallback\n');
    writeFileSync(join(d, 'conf.d', 'b.conf'), 'Host web\n  HostName web.b\n');
    writeFileSync(join(d, 'conf.d', 'a.conf'), 'Host web\n  HostName web.a\n  Port 2200\n');
    writeFileSync(join(d, 'conf.d', 'ignored.txt'), 'Host web\n  HostName never\n');
    const ssh = await SshConfigFile.load(join(d, 'config'));
    expect(ssh.compute('web')).toMatchObject({ hostName: 'web.a', port: 2200, user: 'fallback' });
    expect(ssh.compute('first')).toMatchObject({ user: 'one' });
  });

  it('fails clearly on a missing explicit config, ignores a missing default one', async () => {
    await expect(SshConfigFile.load('/nonexistent/ssh_config')).rejects.toThrow('cannot read ssh config');
    expect((await SshConfigFile.load(false)).compute('x')).toEqual({});
  });
});
