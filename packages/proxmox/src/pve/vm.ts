import { guestModule } from './guest.js';
import { planVm, vmSchema } from './vm-plan.js';

/**
 * A Proxmox VE virtual machine through qm: created, configured (name, memory, cores, sockets,
 * ostype, onboot, scsihw, net0; `qm set` of only what differs), its boot disk allocated or grown
 * (`qm resize`), started, shut down (`qm shutdown --timeout`, `forceStop` kills after it) or
 * destroyed (only with `force` or `purge`).
 * @example
 * vm({ vmid: 110, name: 'db1', memory: 4096, cores: 2, net0: 'virtio,bridge=vmbr0',
 *   disk: { slot: 'scsi0', storage: 'local-lvm', size: '32G' }, state: 'running' })
 */
export const vm = guestModule('qm', {
  name: 'proxmox.vm',
  description: 'Create, configure, resize, start, shut down or destroy a Proxmox VE virtual machine with qm',
  schema: vmSchema,
  plan: planVm,
});
