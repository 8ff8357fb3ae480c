import type { ModuleSet } from '@shipshape/core';
import { container } from './pve/container.js';
import { restoreDrill } from './pve/drill.js';
import { template } from './pve/template.js';
import { vm } from './pve/vm.js';
import { vzdump } from './vzdump/module.js';
import { vzrestore } from './vzdump/restore.js';

/** Every Proxmox module under its export name; each is named `proxmox.<export name>`. */
export const modules = { vzdump, vzrestore, container, vm, template, restoreDrill } satisfies ModuleSet;
