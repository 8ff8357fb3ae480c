/**
 * Jinja parity with Debian's ansible-core 2.14: every case in fixtures/jinja-parity/cases.j2
 * (`### name` lines start a case) is rendered once by ansible-playbook's template module (all
 * cases in one template, `-c local`, vars from vars.yml) and by shipshape: identical bytes.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { loadJinja } from '@shipshape/core';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'jinja-parity');
const SEP = '\u241eCASE\u241e';

function readCases(): { name: string; template: string }[] {
  const parts = readFileSync(join(FIXTURES, 'cases.j2'), 'utf8').split(/^### (.*)\n/m).slice(1);
  const out: { name: string; template: string }[] = [];
  for (let i = 0; i < parts.length; i += 2) out.push({ name: parts[i]!, template: parts[i + 1]!.replace(/\n$/, '') });
  return out;
}

const cases = readCases();
const env = { ...process.env, JINJA_PARITY_ENV: 'from-env', ANSIBLE_LOCALHOST_WARNING: 'False', ANSIBLE_NOCOLOR: '1' };
let dir: string;
let ansible: string[] = [];

/** All cases through the template module in one ansible-playbook run. */
async function renderWithAnsible(): Promise<string[]> {
  dir = mkdtempSync(join(tmpdir(), 'jinja-parity-'));
  symlinkSync(join(FIXTURES, 'files'), join(dir, 'files'));
  symlinkSync(join(FIXTURES, 'templates'), join(dir, 'templates'));
  copyFileSync(join(FIXTURES, 'vars.yml'), join(dir, 'vars.yml'));
  writeFileSync(join(dir, 'all.j2'), cases.map((c) => c.template + SEP).join(''));
  writeFileSync(join(dir, 'play.yml'), [
    '- hosts: localhost',
    '  gather_facts: false',
    '  vars_files: [vars.yml]',
    '  tasks:',
    '    - template: { src: all.j2, dest: "{{ playbook_dir }}/out.txt" }',
    '',
  ].join('\n'));
  await new Promise<void>((resolve, reject) => {
    execFile('ansible-playbook', ['-i', 'localhost,', '-c', 'local', 'play.yml'], { cwd: dir, env }, (err, stdout) =>
      err ? reject(new Error(`ansible-playbook failed: ${stdout}`)) : resolve());
  });
  return readFileSync(join(dir, 'out.txt'), 'utf8').split(SEP).slice(0, -1);
}

async function loadVars(): Promise<Record<string, unknown>> {
  return { ...(parse(readFileSync(join(dir, 'vars.yml'), 'utf8'), { version: '1.1' }) as object), playbook_dir: dir };
}

describe('Jinja renders like ansible-core 2.14 template', () => {
  beforeAll(async () => {
    ansible = await renderWithAnsible();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it(`the case file has at least 100 cases, all rendered by Ansible (${cases.length})`, () => {
    expect(cases.length).toBeGreaterThanOrEqual(100);
    expect(ansible).toHaveLength(cases.length);
  });

  it('the whole case file renders to the same bytes', async () => {
    const { renderJinja } = await loadJinja();
    process.env.JINJA_PARITY_ENV = env.JINJA_PARITY_ENV;
    const out = renderJinja(readFileSync(join(dir, 'all.j2'), 'utf8'), await loadVars(), 'all.j2');
    expect(out).toBe(readFileSync(join(dir, 'out.txt'), 'utf8'));
  });

  for (const [i, c] of cases.entries()) {
    it(`${String(i + 1).padStart(3, '0')} ${c.name}`, async () => {
      const { renderJinja } = await loadJinja();
      const vars = await loadVars();
      const saved = process.env.JINJA_PARITY_ENV;
      process.env.JINJA_PARITY_ENV = env.JINJA_PARITY_ENV;
      try {
        // The same text follows each case in both tools (trim_blocks may eat the newline before it).
        expect(renderJinja(c.template + SEP, vars, c.name).slice(0, -SEP.length)).toBe(ansible[i]);
      } finally {
        process.env.JINJA_PARITY_ENV = saved;
      }
    });
  }
});
