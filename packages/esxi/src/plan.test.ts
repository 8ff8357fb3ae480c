// Every module's plan cases: fixtures/<module>/*.json, run by core's fixture runner.
import { planFixtures } from '@shipshape/core/testing';
import { backupConfig } from './backup.js';
import { maintenanceMode } from './maintenance.js';
import { persistConfig } from './persist.js';
import { restoreConfig } from './restore.js';
import { sshdSettings } from './sshd.js';
import { vm } from './vm.js';

for (const [name, m] of Object.entries({ maintenanceMode, persistConfig, backupConfig, restoreConfig, vm, sshdSettings })) {
  planFixtures(m, new URL(`./fixtures/${name}/`, import.meta.url));
}
