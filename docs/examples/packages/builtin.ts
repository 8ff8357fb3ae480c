// docs/examples/packages/builtin.ts
import { playbook } from '@shipshape/core';
import { copy, lineinfile, pkg, service, template, user } from '@shipshape/builtin';

export default playbook({
  name: 'web',
  hosts: 'web',
  handlers: { 'reload nginx': service({ name: 'nginx', state: 'reloaded' }) },
  tasks: [
    pkg({ name: ['nginx', 'curl'], state: 'present', update_cache: true }),
    user({ name: 'deploy', shell: '/bin/sh', groups: ['www-data'], append: true }),
    template({ src: 'nginx.conf.j2', dest: '/etc/nginx/nginx.conf', mode: '0644', validate: 'nginx -t -c %s' },
             { notify: 'reload nginx' }),
    copy({ content: 'ok\n', dest: '/var/www/html/health', mode: '0644' }),
    lineinfile({ path: '/etc/hosts', regexp: '^10\\.0\\.0\\.5 ', line: '10.0.0.5 db' }),
    service({ name: 'nginx', state: 'started', enabled: true }),
  ],
});
