// docs/examples/packages/rescue-policy.ts
import { definePolicy } from '@shipshape/rescue';

export default definePolicy({
  hosts: 'esxi',
  stateDir: '/var/lib/shipshape-rescue',
  vms: {
    vcenter: { vmx: '/vmfs/volumes/san1/vcenter/vcenter.vmx', protect: true, hosts: ['esx1', 'esx2'] },
    rescue: { vmx: '/vmfs/volumes/san1/rescue/rescue.vmx', protect: true },
  },
  antiAffinity: [['vcenter', 'rescue']],
  probe: { intervalSeconds: 10, missesBeforeFailure: 3, graceSeconds: 30 },
  notify: { command: ['/usr/local/bin/page-oncall'], webhook: 'https://vcenter.example/rescue-events' },
  order: [['rescue'], ['vcenter']],
});
