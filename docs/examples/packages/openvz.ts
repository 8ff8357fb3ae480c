// docs/examples/packages/openvz.ts
import { playbook } from '@shipshape/core';
import { pkg } from '@shipshape/builtin';
import { container, exec, templateRebuild } from '@shipshape/openvz';

export default playbook({ name: 'openvz', hosts: 'openvz', tasks: [
  container({ ctid: 101, ostemplate: 'debian-12-standard_12.2-1_amd64', state: 'running',
              ipadd: ['10.0.0.101'], nameserver: '10.0.0.1', hostname: 'web1', diskspace: '10G' }),
  exec(101, 'apt-get -y install nginx', { creates: '/usr/sbin/nginx' }),
  templateRebuild({ from: 'debian-12-minimal_12.0_amd64', to: 'debian-12-php_12.0-1_amd64.tar.gz', ctid: 9999,
                    ip: '10.0.0.250', nameserver: '10.0.0.1', customize: [pkg({ name: 'php' })] }),
] });
