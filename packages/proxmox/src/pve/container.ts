import { containerSchema, planContainer } from './container-plan.js';
import { guestModule } from './guest.js';

/**
 * A Proxmox VE container through pct: created from a template (`local:vztmpl/<file>`), configured
 * (hostname, memory, swap, cores, net0, nameserver, onboot, features; `pct set` of only what
 * differs), its root file system grown with `pct resize`, running, stopped or destroyed (only
 * with `force` or `purge`).
 * @example
 * container({ vmid: 201, ostemplate: 'local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst', storage: 'local-lvm', size: '8G',
 *   hostname: 'web1', memory: 1024, net0: { bridge: 'vmbr0', ip: '10.0.0.21/24', gw: '10.0.0.1' }, nameserver: '10.0.0.1', onboot: true })
 */
export const container = guestModule('pct', {
  name: 'proxmox.container',
  description: 'Create, configure, resize, start, stop or destroy a Proxmox VE container with pct',
  schema: containerSchema,
  plan: planContainer,
});
