import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { listProfiles } from '@shipshape/testlab';
import { classify, parseReadme, substituteInventory, type ReadmeCommand } from './readme.js';

// Every command README.md tells a user to run, run as written (the README is parsed now, so the test
// follows it): shell code blocks, table cells of a "command" column, inline code that starts with a
// program of the workflow (readme.ts). A command fails the test when it exits non-zero or prints an
// error; the failure names the README line. Commands run from the repository root with
// node_modules/.bin on PATH, as the README says; an inventory the README names becomes the lab's.
const repo = process.cwd();
const BIN = join(repo, 'packages/cli/dist/bundle/bin.js');
/** The lab every command runs against, and the one the README's own `shipshape lab up/down` manage. */
const FIXTURE_LAB = 88;
const SCRATCH_LAB = 89;
const ERROR = /^(ERROR!|ERROR:|Error:|error:|fatal:|npm error|npm ERR!)|\b(FAILED!|UNREACHABLE!)|^\s*at .+:\d+:\d+\)?$/m;

const readme = parseReadme(readFileSync(join(repo, 'README.md'), 'utf8'));
let inventory = '';

function sh(command: string, labId: number, timeout = 600_000) {
  const env = { ...process.env, PATH: `${join(repo, 'node_modules/.bin')}:${process.env.PATH}`, SHIPSHAPE_LAB_ID: String(labId), NO_COLOR: '1' };
  const r = spawnSync('bash', ['-c', command], { cwd: repo, env, encoding: 'utf8', timeout });
  return { status: r.status, out: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? `\n${r.error.message}` : ''}` };
}

beforeAll(() => {
  // Every profile, two hosts each (the Xen pair needs two), through the CLI as a user would.
  const profiles = listProfiles().flatMap((p) => ['--profile', p.name]);
  const r = spawnSync('node', [BIN, 'lab', 'up', '--id', String(FIXTURE_LAB), '--hosts', '2', ...profiles], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`lab up: ${r.stderr}`);
  inventory = r.stdout.trim();
}, 180_000);
afterAll(() => {
  // Only the labs this file started (the README's `lab up` starts the scratch one).
  for (const id of [FIXTURE_LAB, SCRATCH_LAB]) spawnSync('node', [BIN, 'lab', 'down', '--id', String(id)]);
});

const where = (c: ReadmeCommand) => `README.md:${c.lines.join(',')}: \`${c.text}\``;

describe('README.md', () => {
  it('has commands to run, and every code block is one the test knows', () => {
    expect(readme.commands.length).toBeGreaterThan(5);
    expect(readme.problems).toEqual([]);
  });

  for (const block of readme.files) {
    it(`README.md:${block.line}: the ${block.path} shown is the file in the repository`, () => {
      expect(existsSync(join(repo, block.path))).toBe(true);
      expect(readFileSync(join(repo, block.path), 'utf8').trimEnd()).toBe(block.text.trimEnd());
    });
  }

  for (const s of readme.synopsis) {
    it(`README.md:${s.line}: \`${s.command}\` takes the options the synopsis lists`, () => {
      const r = sh(`node ${BIN} ${s.command} --help`, FIXTURE_LAB);
      expect({ where: `README.md:${s.line}`, status: r.status }).toEqual({ where: `README.md:${s.line}`, status: 0 });
      const missing = s.options.filter((o) => !new RegExp(`(^|[\\s,])${o.replace(/[-]/g, '\\-')}(?![\\w-])`, 'm').test(r.out));
      expect({ where: `README.md:${s.line}`, missing }).toEqual({ where: `README.md:${s.line}`, missing: [] });
    });
  }

  for (const c of readme.commands) {
    const kind = classify(c.text);
    if (kind.type === 'excluded') {
      it(`${where(c)} is not run here: ${kind.reason}`, () => {
        // `npm test` runs the whole suite, this file included: running it here would recurse.
        const script = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')).scripts.test as string;
        expect(script).toMatch(/node_modules\/jest\/bin\/jest\.js --runInBand$/);
        if (process.env.npm_lifecycle_event) expect(process.env.npm_lifecycle_event).toBe('test');
      });
    } else if (kind.type === 'delegated') {
      it(`${where(c)} is run by ${kind.test}: ${kind.reason}`, () => {
        const source = readFileSync(join(repo, kind.test), 'utf8');
        for (const needle of kind.mustContain) expect({ where: where(c), needle, found: source.includes(needle) }).toEqual({ where: where(c), needle, found: true });
      });
    } else if (kind.type === 'unknown') {
      it(`${where(c)} is a command the test can run`, () => {
        throw new Error(`${where(c)}: cannot tell how to run this command (readme.ts classify)`);
      });
    } else {
      it(`${where(c)} runs without an error`, () => {
        const command = kind.inventory ? substituteInventory(c.text, inventory) : c.text;
        const r = sh(command, kind.lab === 'scratch' ? SCRATCH_LAB : FIXTURE_LAB);
        const report = { where: where(c), ran: command, status: r.status, error: ERROR.exec(r.out)?.[0] ?? null };
        expect({ ...report, output: report.status === 0 && !report.error ? '' : r.out.slice(-3000) }).toEqual({ ...report, status: 0, error: null, output: '' });
      }, 900_000);
    }
  }
});
