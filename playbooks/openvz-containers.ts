/**
 * The containers of an OpenVZ node, declared: a running web container and a stopped staging one,
 * both from the node's minimal template. vzdump-offsite.ts then backs up the running one only.
 *
 *   shipshape run playbooks/openvz-containers.ts -i inventory/openvz.ini
 */
import { playbook } from '@shipshape/core';
import { container } from '@shipshape/openvz';

const OSTEMPLATE = 'debian-12-minimal_12.0_amd64';

export default playbook({
  name: 'OpenVZ containers',
  hosts: 'openvz',
  tasks: [
    container({
      ctid: 101, ostemplate: OSTEMPLATE, state: 'running', hostname: 'web1.example.com',
      ipadd: ['10.0.0.101'], nameserver: ['10.0.0.1'], diskspace: '2G', diskinodes: '200000',
    }, { name: 'web container running' }),
    container({
      ctid: 102, ostemplate: OSTEMPLATE, state: 'stopped', hostname: 'staging.example.com',
      ipadd: ['10.0.0.102'], nameserver: ['10.0.0.1'],
    }, { name: 'staging container stopped' }),
  ],
});
