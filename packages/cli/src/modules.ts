import * as builtin from '@shipshape/builtin';
import * as esxi from '@shipshape/esxi';
import * as openvz from '@shipshape/openvz';
import * as proxmox from '@shipshape/proxmox';
import * as xen from '@shipshape/xen';
import type { ModuleDef, ModuleTask, TaskOptions } from '@shipshape/core';

type Factory = ((args: unknown, o?: TaskOptions) => ModuleTask) & { module: ModuleDef };

/** Every builtin and platform module by its name, for `shipshape adhoc -m NAME`. */
export function moduleRegistry(): Map<string, Factory> {
  const out = new Map<string, Factory>();
  for (const pkg of [builtin, esxi, openvz, proxmox, xen] as Record<string, unknown>[]) {
    for (const value of Object.values(pkg)) {
      const f = value as Factory;
      if (typeof f === 'function' && f.module && typeof f.module.name === 'string') out.set(f.module.name, f);
    }
  }
  return out;
}
