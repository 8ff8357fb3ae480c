/**
 * Which ansible.cfg is used and what it sets, compared with the real `ansible-config dump
 * --only-changed` (ansible-core) on the same files, directories and environment.
 */
import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadAnsibleConfig, type AnsibleConfig } from '../../packages/cli/src/config.js';

const NAMES: Record<Exclude<keyof AnsibleConfig, 'file'>, string> = {
  inventory: 'DEFAULT_HOST_LIST', remoteUser: 'DEFAULT_REMOTE_USER', privateKeyFile: 'DEFAULT_PRIVATE_KEY_FILE', forks: 'DEFAULT_FORKS',
  hostKeyChecking: 'HOST_KEY_CHECKING', timeout: 'DEFAULT_TIMEOUT', vaultPasswordFile: 'DEFAULT_VAULT_PASSWORD_FILE', vaultIdentityList: 'DEFAULT_VAULT_IDENTITY_LIST', become: 'DEFAULT_BECOME',
  becomeMethod: 'DEFAULT_BECOME_METHOD', becomeUser: 'DEFAULT_BECOME_USER', becomeAskPass: 'DEFAULT_BECOME_ASK_PASS',
};
const py = (v: unknown): string =>
  Array.isArray(v) ? `[${v.map((x) => `'${String(x)}'`).join(', ')}]` : typeof v === 'boolean' ? (v ? 'True' : 'False') : String(v);

/** NAME → value as ansible-config prints them (--only-changed: every value not from the defaults). */
function ansibleSays(cwd: string, env: Record<string, string>): Record<string, string> {
  const r = spawnSync('ansible-config', ['dump', '--only-changed'], { cwd, encoding: 'utf8', env: { PATH: process.env.PATH!, ...env } });
  if (r.status !== 0) throw new Error(`ansible-config: ${r.stderr}`);
  const out: Record<string, string> = {};
  for (const m of r.stdout.matchAll(/^(\w+)\([^)]*\) = (.*)$/gm)) if (m[1] !== 'CONFIG_FILE') out[m[1]!] = m[2]!;
  const file = /^CONFIG_FILE\(\) = (.*)$/m.exec(r.stdout)?.[1];
  if (file) out.CONFIG_FILE = file;
  return out;
}

function weSay(cwd: string, env: Record<string, string>): Record<string, string> {
  const cfg = loadAnsibleConfig({ cwd, env, systemFile: '/etc/ansible/ansible.cfg' });
  const out: Record<string, string> = {};
  for (const [k, name] of Object.entries(NAMES)) {
    const v = cfg[k as keyof typeof NAMES];
    if (v !== undefined) out[name] = py(v);
  }
  out.CONFIG_FILE = cfg.file ?? 'None';
  return out;
}

const FULL = `[defaults]
inventory = hosts, ../shared/more.ini
REMOTE_USER = deploy ; who we are
private_key_file: keys/id_deploy
forks = 17
host_key_checking = False
timeout = 33
vault_password_file = ~/vault.txt
vault_identity_list = dev@~/dev.pass, prod@secrets/prod.pass
# a comment
[privilege_escalation]
become = yes
become_method = su
become_user = admin
become_ask_pass = on
`;

describe('ansible.cfg: the file Ansible uses and its values', () => {
  const root = mkdtempSync(join(tmpdir(), 'ss-anscfg-'));
  const home = join(root, 'home');
  const project = join(root, 'project');
  const elsewhere = join(root, 'elsewhere');
  const open = join(root, 'open');
  for (const d of [home, project, elsewhere, open]) mkdirSync(d);
  writeFileSync(join(project, 'ansible.cfg'), FULL);
  writeFileSync(join(home, '.ansible.cfg'), '[defaults]\nremote_user = from-home\nforks = 3\n');
  writeFileSync(join(elsewhere, 'ansible.cfg'), '[defaults]\nremote_user = from-env-dir\n');
  writeFileSync(join(elsewhere, 'custom.cfg'), '[defaults]\ninventory = inv/\n[privilege_escalation]\nbecome = True\n');
  writeFileSync(join(open, 'ansible.cfg'), '[defaults]\nremote_user = planted\n');
  chmodSync(open, 0o777);

  const cases: [string, string, Record<string, string>][] = [
    ['./ansible.cfg, every key, relative paths from the file', project, {}],
    ['./ansible.cfg beats ~/.ansible.cfg', project, { HOME: home }],
    ['~/.ansible.cfg when the directory has none', elsewhere.replace('elsewhere', 'home'), { HOME: home }],
    ['ANSIBLE_CONFIG (a file) beats ./ansible.cfg', project, { HOME: home, ANSIBLE_CONFIG: join(elsewhere, 'custom.cfg') }],
    ['ANSIBLE_CONFIG (a directory)', project, { HOME: home, ANSIBLE_CONFIG: elsewhere }],
    ['ANSIBLE_CONFIG relative to the working directory', project, { HOME: home, ANSIBLE_CONFIG: '../elsewhere/custom.cfg' }],
    ['ANSIBLE_CONFIG naming no file: the next place', project, { HOME: home, ANSIBLE_CONFIG: join(root, 'missing.cfg') }],
    ['a world-writable directory: its ansible.cfg is ignored', open, { HOME: home }],
    ['ANSIBLE_* variables beat the file', project, {
      HOME: home, ANSIBLE_FORKS: '9', ANSIBLE_REMOTE_USER: 'carol', ANSIBLE_PRIVATE_KEY_FILE: 'rel/key', ANSIBLE_BECOME: 'false',
      ANSIBLE_BECOME_USER: 'ops', ANSIBLE_HOST_KEY_CHECKING: 'yes', ANSIBLE_INVENTORY: 'a.ini,/abs/b.ini', ANSIBLE_TIMEOUT: '7', ANSIBLE_VAULT_IDENTITY_LIST: 'ci@/run/ci.pass',
    }],
    ['no file at all', elsewhere.replace('elsewhere', 'home'), { HOME: join(root, 'nohome') }],
  ];

  it.each(cases)('%s', (_label, cwd, env) => {
    expect(weSay(cwd, env)).toEqual(ansibleSays(cwd, env));
  });

  it('a value of the wrong type is an error naming the file, the line and the key', () => {
    const d = join(root, 'bad');
    mkdirSync(d);
    writeFileSync(join(d, 'ansible.cfg'), '[defaults]\nforks = many\n');
    expect(() => loadAnsibleConfig({ cwd: d, env: { HOME: home } })).toThrow(`${join(d, 'ansible.cfg')}:2: [defaults] forks: not an integer: "many"`);
    expect(spawnSync('ansible-config', ['dump', '--only-changed'], { cwd: d, encoding: 'utf8', env: { PATH: process.env.PATH!, HOME: home } }).status).not.toBe(0);
  });
});
