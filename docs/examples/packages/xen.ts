// docs/examples/packages/xen.ts
import { playbook } from '@shipshape/core';
import { lineinfile, pkg } from '@shipshape/builtin';
import { guest, vif, xenFacts } from '@shipshape/xen';

export default playbook({
  name: 'xen guests',
  hosts: 'xen',
  tasks: [
    xenFacts({}, { register: 'xen' }),
    guest({
      hostname: 'web01', dist: 'bookworm', memory: '1G', size: '20G', vcpus: 2,
      ips: ['10.10.1.21'], netmask: '255.255.255.0', gateway: '10.10.1.1', bridge: 'xenbr0', dir: '/srv/xen',
      // Run inside the new guest's root before its first boot, as ordinary tasks.
      hooks: [pkg({ name: 'openssh-server' }), lineinfile({ path: '/etc/motd', line: 'managed by shipshape', create: true })],
      state: 'running',
    }),
    vif({ guest: 'web01', ip: '203.0.113.7', bridge: 'xenbr1' }),
  ],
});
