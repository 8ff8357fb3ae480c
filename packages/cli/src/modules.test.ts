/** One registry: every package's `modules` export, one naming scheme, one list of shipped packages. */
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { moduleIndex, type ModuleSet } from '@shipshape/core';
import { copy } from '@shipshape/builtin';
import { moduleRegistry } from './modules.js';
import { packages } from './packages.js';

const isFactory = (v: unknown): boolean =>
  typeof v === 'function' && typeof (v as { module?: { name?: unknown } }).module?.name === 'string';

describe('module registry', () => {
  it('holds every module factory each package exports, in its modules', async () => {
    for (const [name, load] of Object.entries(packages)) {
      const pkg = (await load()) as Record<string, unknown> & { modules?: ModuleSet };
      const listed = new Set(Object.values(pkg.modules ?? {}));
      const missing = Object.keys(pkg).filter((k) => isFactory(pkg[k]) && !listed.has(pkg[k] as never));
      expect([name, missing]).toEqual([name, []]);
    }
  });

  it('names builtin modules as Ansible does and platform modules <platform>.<name>', async () => {
    for (const [name, e] of await moduleRegistry()) {
      if (e.packageName === '@shipshape/builtin') expect(name).toMatch(/^[a-z][a-z_]*$/);
      else expect(name).toMatch(/^[a-z]+\.[a-z][A-Za-z]*$/);
    }
  });

  it('finds the proxmox modules under their platform name', async () => {
    const r = await moduleRegistry();
    expect([r.get('proxmox.vzdump')?.exportName, r.get('wait_for')?.exportName, r.get('vzdump')]).toEqual(['vzdump', 'waitFor', undefined]);
  });

  it('refuses two modules of one name', () => {
    expect(() => moduleIndex({ a: { copy }, b: { other: copy } })).toThrow('module name "copy" is taken twice: a copy and b other');
  });

  it('ships only packages the CLI depends on', () => {
    const deps = Object.keys((JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { dependencies: Record<string, string> }).dependencies);
    const ours = deps.filter((d) => d.startsWith('@shipshape/')).map((d) => d.slice('@shipshape/'.length));
    expect(ours).toEqual(expect.arrayContaining(Object.keys(packages)));
  });
});
