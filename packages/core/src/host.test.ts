import { describe, expect, it } from '@jest/globals';
import { readFileCommand } from './internal/file-commands.js';
import { mentions } from './host.js';

describe('which cached reads a change to a path makes stale', () => {
  const cases: [string, string, boolean][] = [
    // [read of, change to, stale?]
    ['/etc/profile', '/etc/profile', true],
    ['/etc/profile.d', '/etc/profile', false],
    ['/etc/pro', '/etc/profile', false],
    ['/etc/profile', '/etc/pro', false],
    ['/srv/bench/dir1', '/srv/bench', true], // below a changed directory (rm -rf, chmod -R)
    ['/srv/bench', '/srv/bench/dir1', true], // a parent: created by mkdir -p, new mtime
    ['/srv', '/srv/bench/dir1', true],
    ['/etc/cron.d/x', '/etc/aliases', false], // a sibling under a common parent
    ['/etc/cron.d/x', '/etc', true],
    ['/srv/a b/c', '/srv/a b', true], // quoted forms
    ['/srv/a b', '/srv/a b/c', true],
    ['/srv/a bc', '/srv/a b', false],
    ["/srv/it's", "/srv/it's", true],
    ['relative', 'relative', true],
    ['other', 'relative', false],
  ];
  it.each(cases)('read of %j, change to %j: %s', (read, changed, stale) => {
    expect(mentions(readFileCommand(read).text, changed)).toBe(stale);
  });
});
