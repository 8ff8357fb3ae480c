// docs/examples/packages/testlab.ts
import { startLab } from '@shipshape/testlab';
const lab = await startLab({ id: 23, hosts: [{ name: 'esx1', profile: 'esxi' }, { name: 'web1' }] });
lab.hosts[0];                 // { name, profile, address: '127.77.23.1', port: 22, root: '/var/tmp/shipshape-lab/23/esx1/root' }
lab.inventory.select('esxi'); // core InventoryView; groups = profile names
lab.hostSpec('web1');         // core HostSpec: ssh as root, lab key, strict host key checking
await lab.exec('esx1', 'cat /etc/vmware/esx.conf'); // { code, stdout, stderr }: as root in the host, no SSH
await lab.rebootHost('esx1'); await lab.stopHost('web1'); await lab.startHost('web1');
lab.hangHost('esx1'); lab.resumeHost('esx1');  // every process stopped/continued: sshd accepts, never answers
lab.setBmcReachable('esx1', false);             // its BMC (ipmi_sim) stops answering; true: answers again
lab.bmcPower('esx1');                           // 'on' | 'off', as the BMC reports it
await lab.stop();             // processes killed, mounts gone, directory removed
