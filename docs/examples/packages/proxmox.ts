// docs/examples/packages/proxmox.ts
import { playbook } from '@shipshape/core';
import { container, restoreDrill, vzdump } from '@shipshape/proxmox';

export default playbook({
  name: 'proxmox',
  hosts: 'proxmox',
  tasks: [
    container({ vmid: 201, ostemplate: 'local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst', storage: 'local-lvm', size: '8G',
                hostname: 'web1', memory: 1024, net0: { bridge: 'vmbr0', ip: '10.0.0.21/24', gw: '10.0.0.1' }, onboot: true, state: 'running' }),
    // The running containers, one at a time, into daily.0 … daily.9 on the NAS (vars from the inventory).
    vzdump((c) => ({
      running: true, mode: 'snapshot', compress: 'zstd',
      offsite: { dest: { type: 'ftp', host: String(c.vars.nas_host), user: 'backup', password: String(c.vars.nas_password), path: '/vz' }, keep: 10 },
    })),
    // Prove last night's dump of CT 201 restores and boots, in a scratch CT that is destroyed after.
    restoreDrill((c) => ({
      from: { dest: { type: 'ftp', host: String(c.vars.nas_host), user: 'backup', password: String(c.vars.nas_password), path: '/vz' }, generation: 0, ct: 201 },
      vmid: 9201, storage: 'local-lvm', check: ['test', '-f', '/etc/os-release'],
    })),
  ],
});
