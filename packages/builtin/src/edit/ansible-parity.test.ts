/**
 * Parity with Debian's Ansible: every case in packages/builtin/test/parity/cases/*.json runs
 * through the real ansible-core / community.general module (one `ansible-playbook -c local`
 * run for all cases) and through our module on the same input; resulting bytes, `changed` and
 * failure must be identical. Needs `ansible` installed locally (listed in .ci/apt-packages).
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { fixtureCases } from '@shipshape/core/testing';
import { runEditCase } from './run-case.js';

interface ParityCase {
  readonly name: string;
  readonly module: 'lineinfile' | 'blockinfile' | 'replace' | 'ini_file';
  readonly args: Record<string, unknown>;
  /** File content before; null = missing. */
  readonly before: string | null;
  /** Octal mode of the file before. @default '0644' */
  readonly mode?: string;
  /** File name inside the case directory (spaces etc.). @default 'file' */
  readonly file?: string;
  /** `before` and `deviation.after` are bytes, one char each (bytes that are not UTF-8). @default false */
  readonly latin1?: boolean;
  /**
   * Where shipshape deliberately differs from the Python module: why, and what it does instead. The
   * case still runs through Ansible, whose outcome must differ (else the deviation is stale).
   */
  readonly deviation?: { readonly why: string; readonly changed: boolean; readonly after: string | null };
}

interface AnsibleOutcome {
  changed: boolean;
  failed: boolean;
  msg: string;
  after: Buffer | null;
}

const FQCN = {
  lineinfile: 'ansible.builtin.lineinfile',
  blockinfile: 'ansible.builtin.blockinfile',
  replace: 'ansible.builtin.replace',
  ini_file: 'community.general.ini_file',
};

const cases = fixtureCases<ParityCase[]>(new URL('../../test/parity/cases/', import.meta.url)).flatMap(([, list]) => list);

let work: string;
const ansible = new Map<string, AnsibleOutcome>();
const casePath = (i: number, c: ParityCase): string => join(work, `case${i}`, c.file ?? 'file');
const bytesOf = (c: ParityCase, text: string): Buffer => Buffer.from(text, c.latin1 ? 'latin1' : 'utf8');

function writeInput(i: number, c: ParityCase): void {
  const p = casePath(i, c);
  mkdirSync(join(work, `case${i}`), { recursive: true });
  if (c.before !== null) {
    writeFileSync(p, bytesOf(c, c.before));
    chmodSync(p, parseInt(c.mode ?? '0644', 8));
  }
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'shipshape-parity-'));
  cases.forEach((c, i) => writeInput(i, c));
  const tasks = cases.map((c, i) => ({
    name: `case${i}`,
    [FQCN[c.module]]: { ...c.args, path: casePath(i, c) },
    ignore_errors: true,
  }));
  const playbook = join(work, 'playbook.json'); // JSON is YAML
  writeFileSync(playbook, JSON.stringify([{ hosts: 'localhost', gather_facts: false, tasks }]));
  const out = execFileSync('ansible-playbook', ['-i', 'localhost,', '-c', 'local', playbook], {
    env: { ...process.env, ANSIBLE_STDOUT_CALLBACK: 'json', ANSIBLE_LOCALHOST_WARNING: 'false', ANSIBLE_NOCOLOR: '1' },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const report = JSON.parse(out.slice(out.indexOf('{'))) as {
    plays: { tasks: { task: { name: string }; hosts: { localhost: { changed?: boolean; failed?: boolean; msg?: string } } }[] }[];
  };
  for (const t of report.plays[0]!.tasks) {
    const i = Number(t.task.name.slice(4));
    const r = t.hosts.localhost;
    const p = casePath(i, cases[i]!);
    ansible.set(t.task.name, { changed: !!r.changed, failed: !!r.failed, msg: String(r.msg ?? ''), after: existsSync(p) ? readFileSync(p) : null });
  }
}, 300_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('parity with Debian ansible', () => {
  it('has at least 60 cases and ansible ran them all', () => {
    expect(cases.length).toBeGreaterThanOrEqual(60);
    expect(ansible.size).toBe(cases.length);
    // not vacuous: the suite covers changes, no-changes and failures
    const all = [...ansible.values()];
    expect(all.filter((r) => r.failed).length).toBeGreaterThanOrEqual(8);
    expect(all.filter((r) => r.changed).length).toBeGreaterThanOrEqual(60);
    expect(all.filter((r) => !r.changed && !r.failed).length).toBeGreaterThanOrEqual(15);
    if (process.env.PARITY_REPORT) {
      console.log(cases.map((c, i) => `${i} ${c.module} ${c.name}: ${JSON.stringify(ansible.get(`case${i}`)!.msg)} changed=${ansible.get(`case${i}`)!.changed} failed=${ansible.get(`case${i}`)!.failed}`).join('\n'));
    }
  });
  cases.forEach((c, i) => {
    it(`${c.module}: ${c.name}`, () => {
      const theirs = ansible.get(`case${i}`)!;
      const ours = runEditCase(c.module, { ...c.args, path: casePath(i, c) }, c.before === null ? null : bytesOf(c, c.before), c.mode ?? '0644');
      // latin1: one char per byte, so the comparison is byte for byte
      const show = (b: Buffer | null): string | null => (b === null ? null : b.toString('latin1'));
      if (c.deviation) {
        const { changed, after } = c.deviation;
        expect({ failed: ours.error !== undefined, changed: ours.changed, after: show(ours.after) }).toEqual({ failed: false, changed, after: after === null ? null : show(bytesOf(c, after)) });
        expect({ failed: theirs.failed, after: show(theirs.after) }).not.toEqual({ failed: false, after: show(ours.after) });
        return;
      }
      expect({ failed: ours.error !== undefined, changed: ours.changed, after: show(ours.after) }).toEqual({
        failed: theirs.failed,
        changed: theirs.failed ? false : theirs.changed,
        after: show(theirs.after),
      });
      // same message when something changed or failed (Ansible's text, e.g. 'line replaced')
      // (a Python traceback, 'MODULE FAILURE', has no message of its own to compare)
      if (theirs.failed && !theirs.msg.startsWith('MODULE FAILURE')) expect(ours.error).toContain(theirs.msg);
      else if (theirs.changed) expect(ours.msg).toBe(theirs.msg);
    });
  });
});
