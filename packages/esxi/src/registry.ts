import type { ModuleSet } from '@shipshape/core';
import { backupConfig } from './backup.js';
import { maintenanceMode } from './maintenance.js';
import { persistConfig } from './persist.js';
import { restoreConfig } from './restore.js';
import { sshdSettings } from './sshd.js';
import { vm } from './vm.js';

/** Every ESXi module under its export name; each is named `esxi.<export name>`. */
export const modules = { backupConfig, maintenanceMode, persistConfig, restoreConfig, sshdSettings, vm } satisfies ModuleSet;
