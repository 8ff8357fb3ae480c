// docs/examples/packages/cli-site.ts
import { playbook, task } from '@shipshape/core';
import { pkg, service, template } from '@shipshape/builtin';

export default playbook({
  name: 'web',
  hosts: 'web',
  handlers: { 'reload nginx': service({ name: 'nginx', state: 'reloaded' }) },
  tasks: [
    pkg({ name: 'nginx' }),
    template({ src: 'nginx.conf.j2', dest: '/etc/nginx/nginx.conf', validate: 'nginx -t -c %s' }, { notify: 'reload nginx' }),
    task('nginx version', async (h) => ({ msg: (await h.$`nginx -v 2>&1`).stdout.trim() })),
  ],
});
