// docs/examples/packages/esxi.ts
import { playbook } from '@shipshape/core';
import { backupConfig, maintenanceMode, persistConfig, sshdSettings, vm } from '@shipshape/esxi';

export default playbook({
  name: 'esxi',
  hosts: 'esxi',
  tasks: [
    backupConfig({ dest: 'backups/esxi', keep: 7 }),
    sshdSettings({ lines: ['PermitRootLogin no', 'Ciphers aes256-gcm@openssh.com'] }),
    persistConfig({}),
    vm({ name: 'web1', state: 'running', vmx: '/vmfs/volumes/datastore1/web1/web1.vmx' }),
    maintenanceMode({ enabled: false }),
  ],
});
