/**
 * Template parity: each fixture holds a template, vars, and the text ansible-core's template
 * module rendered from them (captured once); ours must give the same bytes.
 */
import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderJinja } from './jinja.js';

const dir = join(dirname(fileURLToPath(import.meta.url)), 'fixtures/jinja');

describe('templates render like Ansible', () => {
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    const c = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { description: string; template: string; vars: Record<string, unknown>; expected: string };
    it(`${file}: ${c.description}`, () => {
      expect(renderJinja(c.template, c.vars, file)).toBe(c.expected);
    });
  }
  it('an undefined variable is an error naming the template', () => {
    expect(() => renderJinja('{{ nope }}', {}, 'app.j2')).toThrow(/template app\.j2: .*nope/);
  });
});
