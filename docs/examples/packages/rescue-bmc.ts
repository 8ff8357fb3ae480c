// docs/examples/packages/rescue-bmc.ts
import { playbook } from '@shipshape/core';
import { ipmiPower } from '@shipshape/rescue';

export default playbook({
  name: 'power of the ESXi hosts',
  hosts: 'esxi_bmc',          // e.g. the hosts again with ansible_connection=local: a host that is off has no sshd
  tasks: [ipmiPower({}, { register: 'chassis' }), ipmiPower({ state: 'on' })],
});
