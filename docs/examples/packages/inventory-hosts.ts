// docs/examples/packages/inventory-hosts.ts
import { inventory } from '@shipshape/inventory';

export default inventory({
  vars: { ansible_user: 'root' },
  groups: {
    web: { hosts: { web1: { ansible_host: '10.0.0.11' }, web2: { ansible_host: '10.0.0.12' } }, vars: { http_port: 8080 } },
    production: { children: ['web'] },
  },
});
