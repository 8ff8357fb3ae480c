// The rescue policy of the lab's ESXi hosts (shipshape lab up --profile esxi): the management VM
// (vcenter) and the watcher's VM (rescue) are protected and never share a host; web1 is a managed
// machine. Watch it: shipshape rescue watch playbooks/rescue/policy.ts -i $(shipshape lab inventory)
import { definePolicy } from '@shipshape/rescue';

export default definePolicy({
  hosts: 'esxi',
  stateDir: 'state',
  vms: {
    vcenter: { vmx: '/vmfs/volumes/shared/vcenter/vcenter.vmx', protect: true },
    rescue: { vmx: '/vmfs/volumes/shared/rescue/rescue.vmx', protect: true },
    web1: { vmx: '/vmfs/volumes/shared/web1/web1.vmx' },
  },
  antiAffinity: [['vcenter', 'rescue']],
  probe: { intervalSeconds: 5, missesBeforeFailure: 3, graceSeconds: 15 },
  shutdownTimeoutSeconds: 60,
  // Shutdown: the watcher first, then the management VM, then the managed machines; startup in reverse.
  order: [['rescue'], ['vcenter'], ['web1']],
});
