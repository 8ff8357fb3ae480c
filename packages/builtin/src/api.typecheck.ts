/**
 * Compile-time checks of the public types (run by `tsc -p tsconfig.build.json`): each
 * `@ts-expect-error` line must fail to compile, or the build fails. Nothing calls this.
 */
import { command, copy, cron, file, pkg, service, template, user } from './index.js';

export function apiTypeChecks(): unknown[] {
  return [
    copy({ dest: '/etc/motd', content: 'hi\n', mode: '0644' }),
    // @ts-expect-error dest is required
    copy({ content: 'hi\n' }),
    // @ts-expect-error mode is a string or a number
    copy({ dest: '/x', content: '', mode: true }),
    file({ path: '/srv', state: 'directory', recurse: true }),
    // @ts-expect-error no such state
    file({ path: '/srv', state: 'folder' }),
    template({ src: (v) => `x=${String(v.x)}\n`, dest: '/x' }),
    // @ts-expect-error a template function returns a string
    template({ src: () => 1, dest: '/x' }),
    command({ argv: ['ls', '-l'] }),
    // @ts-expect-error argv is a list of strings
    command({ argv: 'ls -l' }),
    service({ name: 'ssh', state: 'started', enabled: true }),
    // @ts-expect-error Ansible's states only
    service({ name: 'ssh', state: 'running' }),
    pkg({ name: ['curl'], state: 'latest' }),
    user({ name: 'app', groups: ['adm'], append: true }),
    // @ts-expect-error uid is a number
    user({ name: 'app', uid: '1000' }),
    cron({ name: 'x', job: '/bin/true', special_time: 'daily' }),
    // @ts-expect-error no such special time
    cron({ name: 'x', job: '/bin/true', special_time: 'fortnightly' }),
  ];
}
