import { moduleIndex, type ModuleEntry, type ModuleSet } from '@shipshape/core';
import { packages } from './packages.js';

/** Every module of the packages the CLI ships, by module name (read from each package's `modules`). */
export async function moduleRegistry(): Promise<ReadonlyMap<string, ModuleEntry>> {
  const sets: Record<string, ModuleSet> = {};
  for (const [name, load] of Object.entries(packages)) {
    const pkg = (await load()) as { modules?: ModuleSet };
    if (pkg.modules) sets[`@shipshape/${name}`] = pkg.modules;
  }
  return moduleIndex(sets);
}
