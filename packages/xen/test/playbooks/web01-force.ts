// The pair test's web01 recreated with force (no roles), run through the CLI binary: lab port and
// secrets directory come from the environment the test sets.
import { hostingPair } from '../../../../playbooks/xen-hosting-pair.js';

const env = process.env;
export default hostingPair({
  name: 'web01', package: 'package1', backupHost: 'xen2', hosts: 'xen1', force: true, roles: [],
  registry: { hosting: '/root/hosting.csv', backup: '/root/backup.csv' },
  options: {
    hosting: { prefix: '127.78.31', netmask: '255.255.255.0', gateway: '127.78.31.1', bridge: 'xenbr0' },
    backup: { prefix: '127.79.31', netmask: '255.255.255.0', bridge: 'xenbr0' },
    sshPort: Number(env.XEN_TEST_SSH_PORT ?? 22), secretsDir: env.XEN_TEST_SECRETS,
    external: { ip: '203.0.113.7', bridge: 'xenbr1', netmask: '255.255.255.0', gateway: '203.0.113.1' },
  },
});
