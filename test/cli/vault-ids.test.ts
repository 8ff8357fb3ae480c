/**
 * Several vault secrets at once, as with Ansible's --vault-id: values encrypted under two ids (one
 * inline `!vault` value, one whole encrypted vars file) open with `--vault-id label@file` given twice,
 * or from vault_identity_list; compared with the real `ansible-inventory --host` and `ansible -m copy`.
 * (shipshape prints a decrypted value as ******** where ansible-inventory prints it in clear.)
 */
import { beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BIN = join(process.cwd(), 'packages/cli/dist/bundle/bin.js');
const dir = mkdtempSync(join(tmpdir(), 'ss-vault-ids-'));
const inv = join(dir, 'hosts.ini');
const dev = join(dir, 'dev.pass');
const prod = join(dir, 'prod.pass');

function run(cmd: string, args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(cmd, args, { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
const ours = (args: string[], env?: Record<string, string>) => run('node', [BIN, 'inventory', '-i', inv, '--host', 'web1', ...args], env);
const theirs = (args: string[], env?: Record<string, string>) => run('ansible-inventory', ['-i', inv, '--host', 'web1', ...args], env);

beforeAll(() => {
  writeFileSync(dev, 'dev-password\n', { mode: 0o600 });
  writeFileSync(prod, 'prod-password\n', { mode: 0o600 });
  mkdirSync(join(dir, 'group_vars', 'all'), { recursive: true });
  writeFileSync(inv, '[web]\nweb1 ansible_connection=local\n');
  const inline = execFileSync('ansible-vault', ['encrypt_string', '--vault-id', `dev@${dev}`, 'dev s3cret', '--name', 'db_password'], { encoding: 'utf8' });
  writeFileSync(join(dir, 'group_vars', 'all', 'inline.yml'), inline);
  const whole = join(dir, 'group_vars', 'all', 'whole.yml');
  writeFileSync(whole, 'api_token: prod-t0ken\n');
  execFileSync('ansible-vault', ['encrypt', '--vault-id', `prod@${prod}`, whole]);
});

const copy = (dest: string) => ['web1', '-i', inv, '-m', 'copy', '-a', `content="{{ db_password }} {{ api_token }}" dest=${join(dir, dest)}`];

describe('--vault-id', () => {
  it('two ids open values encrypted under each, as in Ansible', () => {
    const args = ['--vault-id', `dev@${dev}`, '--vault-id', `prod@${prod}`];
    const a = theirs(args);
    expect(a.code).toBe(0);
    const s = ours(args);
    expect(s.err).toBe('');
    expect(JSON.parse(s.out)).toEqual({ ...JSON.parse(a.out), api_token: '********' });
    expect(run('ansible', [...copy('by-ansible'), ...args]).code).toBe(0);
    const r = run('node', [BIN, 'adhoc', ...copy('by-shipshape'), ...args]);
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, 'by-shipshape'), 'utf8')).toBe('dev s3cret prod-t0ken');
    expect(readFileSync(join(dir, 'by-ansible'), 'utf8')).toBe('dev s3cret prod-t0ken');
  });

  it('vault_identity_list (ANSIBLE_VAULT_IDENTITY_LIST) with --vault-password-file', () => {
    const env = { ANSIBLE_VAULT_IDENTITY_LIST: `dev@${dev}` };
    const s = ours(['--vault-password-file', prod], env);
    expect(s.code).toBe(0);
    expect(JSON.parse(s.out)).toEqual({ ...JSON.parse(theirs(['--vault-password-file', prod], env).out), api_token: '********' });
  });

  it('a value no given secret opens fails, naming the file; prompting is refused clearly', () => {
    const missing = ours(['--vault-id', `dev@${dev}`]);
    expect(missing.code).not.toBe(0);
    expect(missing.err).toContain(join(dir, 'group_vars', 'all', 'whole.yml'));
    expect(theirs(['--vault-id', `dev@${dev}`]).code).not.toBe(0);
    const prompt = ours(['--vault-id', 'dev@prompt']);
    expect(prompt.code).not.toBe(0);
    expect(prompt.err).toMatch(/--vault-id "dev@prompt": prompting for a vault password is not supported/);
  });
});
