import type { ModuleDef, ModuleTask, TaskOptions } from '@shipshape/core';

type Factory = ((args: unknown, o?: TaskOptions) => ModuleTask) & { module: ModuleDef };

/** Packages whose modules `shipshape adhoc -m NAME` can run. Loaded only when needed (start-up time). */
export const MODULE_PACKAGES = ['@shipshape/builtin', '@shipshape/esxi', '@shipshape/openvz', '@shipshape/proxmox', '@shipshape/xen', '@shipshape/storage'] as const;

/** Every builtin and platform module by its name. */
export async function moduleRegistry(): Promise<Map<string, Factory>> {
  const out = new Map<string, Factory>();
  for (const name of MODULE_PACKAGES) {
    const pkg = (await import(name)) as Record<string, unknown>;
    for (const value of Object.values(pkg)) {
      const f = value as Factory;
      if (typeof f === 'function' && f.module && typeof f.module.name === 'string') out.set(f.module.name, f);
    }
  }
  return out;
}
