import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { isTemplateName, parseTemplateName, renderTemplateName, templateBaseName, TemplateNameError, TEMPLATE_NAME_FORM } from './names.js';

interface Table {
  good: { name: string; source: string; parsed: Record<string, string> }[];
  bad: { name: string; reason: string }[];
}
const table = JSON.parse(readFileSync(new URL('./fixtures/template-names.json', import.meta.url), 'utf8')) as Table;

describe('template names', () => {
  it.each(table.good.map((c) => [c.name, c] as const))('accepts %s', (_n, c) => {
    const parsed = parseTemplateName(c.name);
    expect(parsed).toEqual(c.parsed);
    expect(isTemplateName(c.name)).toBe(true);
    // Round trip: rendering the parts gives the same name (extension normalised to lower case).
    const { ext, ...parts } = parsed;
    expect(renderTemplateName(parts, ext).toLowerCase()).toBe(c.name.toLowerCase());
  });

  it.each(table.bad.map((c) => [c.name, c] as const))('rejects %j', (_n, c) => {
    let err: unknown;
    try {
      parseTemplateName(c.name);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(TemplateNameError);
    const msg = (err as Error).message;
    expect(msg).toContain(c.reason);
    expect(msg).toContain(TEMPLATE_NAME_FORM);
    expect(msg).toContain(JSON.stringify(c.name));
    expect(isTemplateName(c.name)).toBe(false);
  });

  it('covers at least 30 real names of both conventions', () => {
    const real = table.good.filter((c) => !c.source.startsWith('shape only'));
    expect(real.length).toBeGreaterThanOrEqual(30);
    expect(new Set(real.map((c) => c.parsed.convention))).toEqual(new Set(['aplinfo', 'openvz']));
    const arches = new Set(table.good.map((c) => c.parsed.arch));
    for (const a of ['x86', 'i386', 'i686', 'x86_64', 'amd64', 'arm64', 'aarch64']) expect(arches).toContain(a);
    const exts = new Set(table.good.map((c) => c.parsed.ext));
    for (const e of ['tar.gz', 'tar.xz', 'tar.zst']) expect(exts).toContain(e);
  });

  it('renders and validates parts', () => {
    expect(renderTemplateName({ convention: 'aplinfo', dist: 'debian', version: '12', description: 'php', customVersion: '12.0-1', arch: 'amd64' }, 'tar.gz')).toBe(
      'debian-12-php_12.0-1_amd64.tar.gz',
    );
    expect(renderTemplateName({ convention: 'openvz', dist: 'centos', version: '6', arch: 'x86_64', description: 'php' }, 'tar.gz')).toBe('centos-6-x86_64-php.tar.gz');
    expect(() => renderTemplateName({ convention: 'openvz', dist: 'debian', version: 'x', arch: 'amd64' })).toThrow(/version "x" must start with a digit/);
    expect(templateBaseName('debian-12-php_12.0-1_amd64.tar.gz')).toBe('debian-12-php_12.0-1_amd64');
    expect(templateBaseName('debian-12-php_12.0-1_amd64')).toBe('debian-12-php_12.0-1_amd64');
  });
});
