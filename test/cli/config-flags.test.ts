/**
 * ansible.cfg, ANSIBLE_* variables and the connection/become flags (-u, --private-key, -b,
 * --become-user, -K, --syntax-check, --version) through the built binary against lab hosts; where
 * Ansible decides a precedence, the real `ansible` runs on the same inventory and files.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLab, type Lab } from '@shipshape/testlab';

const BIN = join(process.cwd(), 'packages/cli/dist/bundle/bin.js');
const PLAYBOOK = join(process.cwd(), 'test/cli/fixtures/whoami.ts');
let lab: Lab;
let dir: string;
/** An inventory without ansible_user or a key: those come from ansible.cfg, the environment or flags. */
let bare: string;

function cli(args: string[], env: Record<string, string> = {}, cwd = dir) {
  const r = spawnSync('node', [BIN, ...args], { encoding: 'utf8', cwd, env: { PATH: process.env.PATH!, HOME: join(dir, 'home'), NO_COLOR: '1', ...env } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
function ansible(args: string[], env: Record<string, string> = {}) {
  // No ControlMaster: a connection kept open by an earlier call would hide what the settings decide.
  const r = spawnSync('ansible', args, { encoding: 'utf8', cwd: dir, env: { PATH: process.env.PATH!, HOME: join(dir, 'home'), ANSIBLE_SSH_ARGS: '-o ControlMaster=no', ...env } });
  return { code: r.status, out: r.stdout };
}
const userOf = (out: string) => [...out.matchAll(/user=(\w+)/g)].map((m) => m[1]);
const marker = (host: string) => join(lab.hosts.find((h) => h.name === host)!.root, 'tmp/whoami-ran-root');

beforeAll(async () => {
  lab = await startLab({ id: 138, hosts: [{ name: 'cfg1' }, { name: 'cfg2' }] });
  dir = mkdtempSync(join(tmpdir(), 'ss-cfgflags-'));
  mkdirSync(join(dir, 'home'));
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'wrong_key')]);
  bare = join(dir, 'bare.ini');
  const common = `ansible_ssh_common_args='-o UserKnownHostsFile=${lab.knownHostsPath} -o StrictHostKeyChecking=yes'`;
  writeFileSync(bare, `[lab]\n${lab.hosts.map((h) => `${h.name} ansible_host=${h.address} ansible_port=${h.port} ${common}`).join('\n')}\n`);
  writeFileSync(join(dir, 'ansible.cfg'), `[defaults]\ninventory = bare.ini\nremote_user = root\nprivate_key_file = ${lab.keyPath}\n`);
});
afterAll(async () => {
  await lab?.stop();
});

describe('ansible.cfg and ANSIBLE_* variables', () => {
  it('./ansible.cfg gives inventory, remote_user and private_key_file (as for ansible)', () => {
    const r = cli(['run', PLAYBOOK, '--json']);
    expect(r.code).toBe(0);
    expect(userOf(r.out)).toEqual(['root', 'root']);
    expect(ansible(['all', '-m', 'ping']).code).toBe(0);
  });

  it('ANSIBLE_REMOTE_USER beats the file, -u beats the variable, ansible_user beats -u (as for ansible)', () => {
    const env = { ANSIBLE_REMOTE_USER: 'nobody' };
    expect(cli(['run', PLAYBOOK], env).code).toBe(4);
    expect(ansible(['all', '-m', 'ping'], env).code).toBe(4);
    expect(userOf(cli(['run', PLAYBOOK, '--json', '-u', 'root'], env).out)).toEqual(['root', 'root']);
    expect(ansible(['all', '-m', 'ping', '-u', 'root'], env).code).toBe(0);
    const withUser = join(dir, 'with-user.ini');
    writeFileSync(withUser, readFileSync(bare, 'utf8').replace(/ansible_port/g, 'ansible_user=root ansible_port'));
    expect(cli(['run', PLAYBOOK, '-i', withUser, '-u', 'nobody']).code).toBe(0);
    expect(ansible(['all', '-i', withUser, '-m', 'ping', '-u', 'nobody']).code).toBe(0);
  });

  it('ANSIBLE_CONFIG beats ./ansible.cfg; --private-key beats private_key_file', () => {
    const wrong = join(dir, 'wrong_key');
    const other = join(dir, 'other.cfg');
    writeFileSync(other, `[defaults]\ninventory = ${bare}\nremote_user = root\nprivate_key_file = ${wrong}\n`);
    expect(cli(['run', PLAYBOOK], { ANSIBLE_CONFIG: other }).code).toBe(4);
    expect(ansible(['all', '-m', 'ping'], { ANSIBLE_CONFIG: other }).code).toBe(4);
    expect(cli(['run', PLAYBOOK, '--private-key', lab.keyPath], { ANSIBLE_CONFIG: other }).code).toBe(0);
    expect(cli(['run', PLAYBOOK, '--private-key', wrong]).code).toBe(4);
  });

  it('host_key_checking = False connects to a host whose key is unknown (as ansible does)', () => {
    const empty = join(dir, 'empty_known_hosts');
    const inv = join(dir, 'unknown-keys.ini');
    const cfgDir = join(dir, 'nohkc');
    mkdirSync(cfgDir, { recursive: true });
    writeFileSync(inv, `[lab]\ncfg1 ansible_host=${lab.hosts[0]!.address} ansible_ssh_common_args='-o UserKnownHostsFile=${empty}'\n`);
    writeFileSync(join(cfgDir, 'ansible.cfg'), `[defaults]\ninventory = ${inv}\nremote_user = root\nprivate_key_file = ${lab.keyPath}\n`);
    writeFileSync(empty, '');
    expect(cli(['run', PLAYBOOK], {}, cfgDir).code).toBe(4);
    writeFileSync(join(cfgDir, 'ansible.cfg'), `${readFileSync(join(cfgDir, 'ansible.cfg'), 'utf8')}host_key_checking = False\n`);
    expect(cli(['run', PLAYBOOK], {}, cfgDir).code).toBe(0);
    expect(readFileSync(empty, 'utf8')).toMatch(/ssh-ed25519 /);
    // A contradicting key: ssh (StrictHostKeyChecking=no) connects and warns loudly; so does shipshape.
    writeFileSync(empty, `${lab.hosts[0]!.address} ${readFileSync(join(dir, 'wrong_key.pub'), 'utf8').split(' ').slice(0, 2).join(' ')}\n`);
    const r = cli(['run', PLAYBOOK], {}, cfgDir);
    expect(r.code).toBe(0);
    expect(`${r.out}${r.err}`).toMatch(/\[WARNING\]: cfg1: REMOTE HOST IDENTIFICATION HAS CHANGED: .*password and keyboard-interactive authentication are disabled/);
  });
});

describe('become flags', () => {
  it('-b --become-user, and [privilege_escalation] in ansible.cfg, run tasks as that user', () => {
    expect(userOf(cli(['run', PLAYBOOK, '--json', '-b', '--become-user', 'nobody']).out)).toEqual(['nobody', 'nobody']);
    const cfgDir = join(dir, 'becomecfg');
    mkdirSync(cfgDir, { recursive: true });
    writeFileSync(join(cfgDir, 'ansible.cfg'), `${readFileSync(join(dir, 'ansible.cfg'), 'utf8').replace('bare.ini', bare)}[privilege_escalation]\nbecome = True\nbecome_user = daemon\n`);
    expect(userOf(cli(['run', PLAYBOOK, '--json'], {}, cfgDir).out)).toEqual(['daemon', 'daemon']);
    expect(userOf(cli(['run', PLAYBOOK, '--json', '--become-user', 'nobody'], {}, cfgDir).out)).toEqual(['nobody', 'nobody']);
  });

  it('-K without a terminal is an error before anything runs', () => {
    rmSync(marker('cfg1'), { force: true });
    const r = cli(['run', PLAYBOOK, '-K']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/BECOME password needs a terminal/);
    expect(existsSync(marker('cfg1'))).toBe(false);
  });

  it('-K asks on the terminal without echoing what is typed', () => {
    // A pseudo-terminal driven by Python's pty module: the answer is typed once the prompt has been read.
    const drive = `import os, pty, sys
pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[1], sys.argv[1:])
seen = b''
while b'BECOME password:' not in seen:
    seen += os.read(fd, 1024)
os.write(fd, b'typed-secret-9\\r')
while True:
    try:
        d = os.read(fd, 4096)
    except OSError:
        break
    if not d:
        break
    seen += d
sys.stdout.write(seen.decode('utf8', 'replace'))
sys.exit(os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))
`;
    const r = spawnSync('python3', ['-c', drive, 'node', BIN, 'run', PLAYBOOK, '-K', '-b', '--become-user', 'nobody'], {
      cwd: dir, encoding: 'utf8', env: { PATH: process.env.PATH!, HOME: join(dir, 'home'), NO_COLOR: '1' },
    });
    expect(r.stdout).toContain('BECOME password:');
    expect(r.stdout).not.toContain('typed-secret-9');
    expect(r.status).toBe(0);
  });
});

describe('--syntax-check, --version and bad inventory values', () => {
  it('--syntax-check loads playbook and inventory, touches no host, exits 0; a bad one exits 1', () => {
    rmSync(marker('cfg1'), { force: true });
    const ok = cli(['run', PLAYBOOK, '--syntax-check']);
    expect(ok).toMatchObject({ code: 0 });
    expect(ok.out).toBe(`\nplaybook: ${PLAYBOOK}\n`);
    expect(existsSync(marker('cfg1'))).toBe(false);
    expect(cli(['run', 'test/cli/fixtures/syntax-error.ts', '--syntax-check'], {}, process.cwd()).code).toBe(1);
    expect(cli(['adhoc', 'all', '-m', 'nosuchmodule', '--syntax-check']).code).toBe(1);
  });

  it('a bad inventory value is an inventory error naming file, line and value (exit 1); no host is touched', () => {
    rmSync(marker('cfg1'), { force: true });
    const bad = join(dir, 'bad.ini');
    writeFileSync(bad, `${readFileSync(bare, 'utf8').replace(/ ansible_port=\d+/g, '')}[lab:vars]\nansible_port=notanumber\n`);
    for (const args of [['run', PLAYBOOK, '-i', bad], ['run', PLAYBOOK, '-i', bad, '--syntax-check'], ['facts', 'all', '-i', bad]]) {
      const r = cli(args);
      expect(r.code).toBe(1);
      expect(r.err).toContain(`ERROR! ${bad}:5: host cfg1: ansible_port: port must be a positive integer, got "notanumber"`);
    }
    const strict = join(dir, 'strict.ini');
    writeFileSync(strict, `[lab]\ncfg1 ansible_host=${lab.hosts[0]!.address} ansible_ssh_common_args='-o StrictHostKeyChecking=maybe'\n`);
    expect(cli(['run', PLAYBOOK, '-i', strict]).err).toContain(`${strict}:2: host cfg1: ansible_ssh_common_args: unsupported StrictHostKeyChecking value "maybe"`);
    expect(existsSync(marker('cfg1'))).toBe(false);
  });

  it('--version names the version, the config file used and node, as ansible --version does', () => {
    const r = cli(['--version']);
    expect(r.code).toBe(0);
    const pkg = JSON.parse(readFileSync('packages/cli/package.json', 'utf8')) as { version: string };
    expect(r.out).toMatch(new RegExp(`^shipshape ${pkg.version.replace(/\./g, '\\.')}\n  config file = ${join(dir, 'ansible.cfg')}\n`));
    expect(r.out).toContain(`  node version = ${process.version}`);
    expect(cli(['--version'], {}, join(dir, 'home')).out).toContain('config file = None');
    expect(spawnSync('ansible', ['--version'], { cwd: join(dir, 'home'), encoding: 'utf8', env: { PATH: process.env.PATH!, HOME: join(dir, 'home') } }).stdout).toContain('config file = None');
  });
});

describe('-c and the inventory_file / inventory_dir magic variables', () => {
  // Sorted: hosts report as they finish, in either tool.
  const msgs = (out: string) => [...out.matchAll(/^(\S+) \| SUCCESS => \{\n\s+"msg": (".*")\n\}/gm)].map((m) => `${m[1]}=${JSON.parse(m[2]!) as string}`).sort();

  it('name the source that first named each host, as ansible does (-c local: no host is contacted)', () => {
    const sub = join(dir, 'sources');
    mkdirSync(sub, { recursive: true });
    writeFileSync(join(sub, 'a'), '[web]\nl1\n');
    writeFileSync(join(sub, 'b.yml'), 'all:\n  hosts:\n    l1:\n    l2:\n');
    const args = (inv: string[]) => ['all', ...inv.flatMap((i) => ['-i', i]), '-c', 'local', '-m', 'debug', '-a', 'msg="{{ inventory_file }} {{ inventory_dir }}"'];
    for (const inv of [[join(sub, 'a'), join(sub, 'b.yml')], [sub], ['l9,']]) {
      const ours = cli(['adhoc', ...args(inv)]);
      const theirs = ansible(args(inv));
      expect(ours.code).toBe(0);
      expect(msgs(ours.out)).toEqual(msgs(theirs.out));
      expect(msgs(ours.out).length).toBeGreaterThan(0);
    }
    expect(msgs(cli(['adhoc', ...args(['l9,'])]).out)).toEqual(['l9=l9, None']);
  });

  it('-c with an unknown connection type is a usage error', () => {
    const r = cli(['adhoc', 'all', '-i', 'l9,', '-c', 'telnet', '-m', 'ping']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/connection.*telnet/s);
  });
});
