import { describe, expect, it } from '@jest/globals';
import { readFileCommand } from './file-commands.js';
import { FactCache, mentions, ReadCache } from './read-cache.js';

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

describe('ReadCache', () => {
  const out = (s: string) => ({ code: 0, stdout: s, stderr: '', stdoutBytes: Buffer.from(s) });
  it('drops what a change may have made stale, keeps the rest', () => {
    const c = new ReadCache();
    c.prime(readFileCommand('/etc/a').text, out('a'));
    c.prime(readFileCommand('/etc/b').text, out('b'));
    c.invalidate('none');
    expect(c.size).toBe(2);
    c.invalidate(['/etc/a']);
    expect(c.get(readFileCommand('/etc/a').text)).toBeUndefined();
    expect(c.get(readFileCommand('/etc/b').text)?.stdout).toBe('b');
    c.invalidate(undefined); // a command that may have changed anything
    expect(c.size).toBe(0);
  });
});

describe('FactCache', () => {
  it('loads once, again when fresh (keeping the new value), and forgets a failed load', async () => {
    const c = new FactCache();
    let n = 0;
    const load = async () => ++n;
    const key = FactCache.key('f', undefined);
    expect(await c.get(key, load)).toBe(1);
    expect(await c.get(key, load)).toBe(1);
    expect(await c.get(key, load, true)).toBe(2);
    expect(await c.get(key, load)).toBe(2);
    const bad = FactCache.key('bad', 'x');
    await expect(c.get(bad, () => Promise.reject(new Error('no')))).rejects.toThrow('no');
    expect(await c.get(bad, async () => 'ok')).toBe('ok');
    c.forget('f');
    expect(await c.get(key, load)).toBe(3);
  });
});
