import { beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, FIX } from '../support/cli.js';
import { useLab } from '../support/lab.js';

const lab = useLab({ id: 76, hosts: [{ name: 'cli1' }, { name: 'cli2' }] });
let inv: string;
let invWithGhost: string;

beforeAll(async () => {
  inv = lab.inventoryPath;
  const dir = mkdtempSync(join(tmpdir(), 'ss-cli-'));
  invWithGhost = join(dir, 'hosts.ini');
  // A host where nothing listens: refused, so unreachable.
  writeFileSync(invWithGhost, `${readFileSync(inv, 'utf8')}\n[ghosts]\nghost ansible_host=127.77.76.250 ansible_user=root ansible_connection=ssh\n`);
});
describe('shipshape run (non-TTY)', () => {
  it('prints Ansible-like lines for ok, changed, failed, skipped and unreachable, and exits 2', () => {
    const r = cli(['run', `${FIX}/mixed.ts`, '-i', invWithGhost]);
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/^changed: \[cli1\]$/m);
    expect(r.out).toMatch(/^changed: \[cli2\]$/m);
    expect(r.out).toMatch(/^ok: \[cli1\]$/m);
    expect(r.out).toMatch(/^fatal: \[cli2\]: FAILED! => \{.*"msg": "command failed on cli2 \(rc=3\)/m);
    expect(r.out).toMatch(/^skipping: \[cli1\]$/m);
    expect(r.out).toMatch(/^fatal: \[ghost\]: UNREACHABLE! => \{"changed": false, "msg": "refused: .*", "unreachable": true\}$/m);
    expect(r.out).toMatch(/^cli1 +: ok=2 +changed=1 +unreachable=0 +failed=0 +skipped=1 +rescued=0 +ignored=0 *$/m);
    expect(r.out).toMatch(/^ghost +: ok=0 +changed=0 +unreachable=1 +failed=0/m);
    expect(r.out).toMatch(/^wall time: \d+\.\d\ds$/m);
    expect(r.out).not.toMatch(/\u001b\[/); // no colour when not a TTY
  });

  it('--json prints exactly one JSON document with per-host counts and per task/host results', () => {
    const r = cli(['run', `${FIX}/mixed.ts`, '-i', invWithGhost, '--json']);
    expect(r.code).toBe(2);
    const doc = JSON.parse(r.out);
    expect(doc.stats.cli1).toMatchObject({ ok: 2, changed: 0, failed: 0, skipped: 1 });
    expect(doc.stats.cli2).toMatchObject({ failed: 1 });
    expect(doc.stats.ghost).toMatchObject({ unreachable: 1 });
    const statuses = new Set(doc.results.map((x: { status: string }) => x.status));
    expect([...statuses].sort()).toEqual(['failed', 'ok', 'skipped', 'unreachable']);
    const failed = doc.results.find((x: { status: string }) => x.status === 'failed');
    expect(failed).toMatchObject({ task: 'fail on the second host', host: 'cli2', changed: false, rc: 3 });
  });

  it('exits 4 when a host is unreachable and none failed, 0 when all is well', () => {
    expect(cli(['run', `${FIX}/converge.ts`, '-i', invWithGhost]).code).toBe(4);
    expect(cli(['run', `${FIX}/converge.ts`, '-i', inv]).code).toBe(0);
  });

  it('--check --diff prints the diff and changes nothing', () => {
    const r = cli(['run', `${FIX}/converge.ts`, '-i', inv, '--check', '--diff', '-e', 'unused=1']);
    expect(r.code).toBe(0);
    const file = join(lab.hosts[0]!.root, 'root/check-diff.txt');
    expect(existsSync(file)).toBe(false);
    const c = cli(['adhoc', 'cli1', '-i', inv, '-m', 'copy', '-a', '{"dest": "/root/check-diff.txt", "content": "one\\ntwo\\n"}', '--check', '--diff']);
    expect(c.code).toBe(0);
    expect(c.out).toContain('+one');
    expect(c.out).toContain('+two');
    expect(c.out).toMatch(/^cli1 \| CHANGED => \{$/m);
    expect(existsSync(file)).toBe(false);
  });

  it('-e k=v and -e @file.yaml set vars (later wins), --start-at-task skips earlier tasks', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ss-vars-'));
    writeFileSync(join(dir, 'vars.yaml'), 'greeting: hello\ntarget: file\n');
    const r = cli(['run', `${FIX}/vars.ts`, '-i', inv, '--limit', 'cli1', '-e', `@${join(dir, 'vars.yaml')}`, '-e', 'target=world', '--start-at-task', 'second']);
    expect(r.code).toBe(0);
    const root = lab.hosts[0]!.root;
    expect(readFileSync(join(root, 'root/vars.txt'), 'utf8')).toBe('hello world\n');
    expect(existsSync(join(root, 'root/vars-first'))).toBe(false);
    expect(existsSync(join(root, 'root/vars-third'))).toBe(true);
  });

  it('lists tasks, tags and hosts, and honours --limit and --tags', () => {
    expect(cli(['run', `${FIX}/mixed.ts`, '--list-tasks']).out).toContain('skipped everywhere\tTAGS: [later]');
    expect(cli(['run', `${FIX}/mixed.ts`, '--list-tags']).out).toContain('TASK TAGS: [later]');
    expect(cli(['run', `${FIX}/mixed.ts`, '-i', inv, '--list-hosts', '--limit', 'cli2']).out).toMatch(/hosts \(1\):\n\s+cli2/);
    const tagged = cli(['run', `${FIX}/mixed.ts`, '-i', inv, '--tags', 'later', '--json']);
    expect(JSON.parse(tagged.out).results.map((x: { task: string }) => x.task)).toEqual(['skipped everywhere', 'skipped everywhere']);
  });
});

describe('files beside the playbook', () => {
  it('copy/template find a relative src under the playbook\'s files/ and templates/ from any working directory', () => {
    const project = mkdtempSync(join(tmpdir(), 'ss-project-'));
    mkdirSync(join(project, 'files'));
    mkdirSync(join(project, 'templates'));
    writeFileSync(join(project, 'files/motd.txt'), 'from files/\n');
    writeFileSync(join(project, 'notes.txt'), 'beside the playbook\n');
    writeFileSync(join(project, 'templates/app.conf.j2'), 'host={{ inventory_hostname }} dir={{ playbook_dir }}\n');
    writeFileSync(join(project, 'site.ts'), [
      "import { playbook } from '@shipshape/core';",
      "import { copy, template } from '@shipshape/builtin';",
      "export default playbook({ name: 'relative sources', hosts: 'cli1', tasks: [",
      "  copy({ src: 'motd.txt', dest: '/root/rel-motd' }),",
      "  copy({ src: 'notes.txt', dest: '/root/rel-notes' }),",
      "  template({ src: 'app.conf.j2', dest: '/root/rel-app.conf' }),",
      '] });',
    ].join('\n'));
    const elsewhere = mkdtempSync(join(tmpdir(), 'ss-cwd-'));
    const first = cli(['run', join(project, 'site.ts'), '-i', inv, '--json'], {}, elsewhere);
    expect(first.err).toBe('');
    expect(JSON.parse(first.out).stats.cli1).toMatchObject({ changed: 3, failed: 0 });
    const second = cli(['run', join(project, 'site.ts'), '-i', inv, '--json'], {}, elsewhere);
    expect(JSON.parse(second.out).stats.cli1).toMatchObject({ changed: 0, failed: 0 });
    const root = lab.hosts[0]!.root;
    expect(readFileSync(join(root, 'root/rel-motd'), 'utf8')).toBe('from files/\n');
    expect(readFileSync(join(root, 'root/rel-notes'), 'utf8')).toBe('beside the playbook\n');
    expect(readFileSync(join(root, 'root/rel-app.conf'), 'utf8')).toBe(`host=cli1 dir=${project}\n`);

    writeFileSync(join(project, 'missing.ts'), readFileSync(join(project, 'site.ts'), 'utf8').replace("'motd.txt'", "'nope.txt'"));
    const missing = cli(['run', join(project, 'missing.ts'), '-i', inv], {}, elsewhere);
    expect(missing.code).toBe(2);
    // The message sits in the failure's JSON, quotes escaped.
    expect(missing.out).toContain(JSON.stringify(`src: could not find controller path "nope.txt"; searched ${join(project, 'files/nope.txt')}, ${join(project, 'nope.txt')}, ${join(elsewhere, 'nope.txt')}`).slice(1, -1));
  });

  it('a playbook outside any project imports core\'s module kit from the CLI itself, sharing its one core', () => {
    const project = mkdtempSync(join(tmpdir(), 'ss-kit-'));
    writeFileSync(join(project, 'kit.ts'), [
      "import { playbook, task, ShipshapeError } from '@shipshape/core';",
      "import { shlexSplit } from '@shipshape/core/module-kit';",
      "import * as kit from '@shipshape/core/module-kit';",
      "export default playbook({ name: 'kit', hosts: 'cli1', gatherFacts: false, tasks: [",
      "  task('kit', async () => ({ msg: `${shlexSplit(\"a 'b c'\").join('|')} ${typeof kit.batchCommand} ${typeof ShipshapeError}` })),",
      '] });',
    ].join('\n'));
    const r = cli(['run', join(project, 'kit.ts'), '-i', inv, '--json'], {}, project);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).results.map((x: { msg?: string }) => x.msg)).toEqual(['a|b c function function']);
  });
});

describe('shipshape adhoc, facts, inventory', () => {
  it('adhoc runs a builtin module by name, idempotently', () => {
    const args = ['adhoc', 'all', '-i', inv, '-m', 'copy', '-a', '{"dest": "/root/adhoc.txt", "content": "adhoc\\n"}', '--json'];
    const first = JSON.parse(cli(args).out);
    const second = JSON.parse(cli(args).out);
    expect(first.stats.cli1.changed + first.stats.cli2.changed).toBe(2);
    expect(second.stats.cli1.changed + second.stats.cli2.changed).toBe(0);
    expect(readFileSync(join(lab.hosts[1]!.root, 'root/adhoc.txt'), 'utf8')).toBe('adhoc\n');
  });

  it('facts prints them as ansible -m setup does; --json gives one document by host', () => {
    const r = cli(['facts', 'all', '-i', inv, '--filter', 'ansible_hostname', '--filter', 'system']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('cli1 | SUCCESS => {\n    "ansible_facts": {\n        "ansible_hostname": "cli1",\n        "ansible_system": "Linux"\n    },\n    "changed": false\n}\n');
    const facts = JSON.parse(cli(['facts', 'all', '-i', inv, '--json']).out);
    expect(facts.cli2.ansible_facts).toMatchObject({ ansible_hostname: 'cli2', ansible_system: 'Linux', ansible_os_family: 'Debian' });
  });

  it('inventory --list and --list-hosts', () => {
    const list = JSON.parse(cli(['inventory', '-i', inv, '--list']).out);
    expect(list.all.children).toContain('debian');
    expect(cli(['inventory', '-i', inv, '--list-hosts', '--limit', 'cli*']).out.trim().split('\n').map((s) => s.trim())).toEqual(['cli1', 'cli2']);
  });
});

describe('errors users can act on', () => {
  it('a syntax error in a playbook shows file:line:column', () => {
    const r = cli(['run', `${FIX}/syntax-error.ts`, '-i', inv]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/syntax-error\.ts:6:\d+: /);
  });
  it('a wrong module argument names the task, the field, the value and the expectation', () => {
    const r = cli(['run', `${FIX}/bad-args.ts`, '-i', inv]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('bad-args.ts');
    expect(r.err).toContain('task "copy with a list as dest"');
    expect(r.err).toContain('field "dest" has bad value ["/tmp/a","/tmp/b"]');
    expect(r.err).toMatch(/Expected string/i);
  });
  it('an unknown module is refused with the list of known ones', () => {
    const r = cli(['adhoc', 'all', '-i', inv, '-m', 'nosuchmodule']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/unknown module "nosuchmodule"; known modules: .*copy/);
  });
  it('an unknown host pattern is a warning, as in Ansible', () => {
    const r = cli(['run', `${FIX}/converge.ts`, '-i', inv, '--limit', 'cli1:nosuchgroup']);
    expect(r.code).toBe(0);
    expect(`${r.out}${r.err}`).toMatch(/\[WARNING\]: .*nosuchgroup/);
  });
  it('an unreadable inventory names the file', () => {
    const r = cli(['run', `${FIX}/converge.ts`, '-i', '/nonexistent/hosts.ini']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('/nonexistent/hosts.ini');
  });
  it('unknown flags are rejected with the help text', () => {
    const r = cli(['run', `${FIX}/converge.ts`, '--no-such-flag']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/Unknown argument/);
    expect(r.out + r.err).toContain('--check');
  });
});
