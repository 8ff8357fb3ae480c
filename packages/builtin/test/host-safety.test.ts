/**
 * File modules against hostile trees and awkward paths: names holding newlines, links below a
 * managed directory, non-UTF-8 bytes and CRLF in edited files, relative paths that start with `-`.
 * Whatever a local user on the host puts there, nothing outside the managed path changes.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { lstatSync } from 'node:fs';
import type { Lab } from '@shipshape/testlab';
import { copy, file, iniFile, lineinfile, replace, stat } from '@shipshape/builtin';
import { HOSTS, onHost, resultOf, runTwice, startBuiltinLab } from './lab.js';

let lab: Lab;
beforeAll(async () => {
  lab = await startBuiltinLab(57);
});
afterAll(async () => {
  await lab?.stop();
});

async function sh(host: string, text: string): Promise<void> {
  const r = await lab.exec(host, text);
  if (r.code !== 0) throw new Error(`setup on ${host} failed: ${r.stderr}`);
}

describe.each(HOSTS.map((h) => h.name))('file modules never reach outside what they manage, on %s', (host) => {
  it('file recurse: a name with a newline and links below the tree do not make it touch /root or link targets', async () => {
    // `up/a<newline>/root/victim2` reads as `/root/victim2` (and `/root`) when a listing is split on newlines
    await sh(host, [
      'chmod 0700 /root && rm -rf /root/up /root/victim2 /root/outside && mkdir -p /root/up/sub',
      "d=$(printf '/root/up/a\\n.') && d=${d%.} && mkdir -p \"$d/root\" && : > \"$d/root/victim2\"",
      ': > /root/victim2 && chmod 0600 /root/victim2 && : > /root/outside && chmod 0600 /root/outside',
      'ln -s /root/outside /root/up/l && ln -s /root /root/up/sub/dirlink && : > /root/up/sub/f && chmod 0644 /root/up/sub/f',
    ].join(' && '));
    const fs = onHost(lab, host);
    const first = await runTwice(lab, host, [
      file({ path: '/root/up', state: 'directory', recurse: true, mode: 'u=rwX,g=rX,o=', owner: '65534', group: '65534' }, { name: 'recurse' }),
    ]);
    expect(resultOf(first, 'recurse').changed).toBe(true);
    for (const outside of ['/root', '/root/victim2', '/root/outside']) {
      expect([outside, fs.mode(outside), fs.uid(outside), fs.stat(outside).gid]).toEqual([outside, outside === '/root' ? '0700' : '0600', 0, 0]);
    }
    // everything below the tree got the attributes: links themselves owned, never chmodded through
    expect(fs.mode('/root/up/a\n/root/victim2')).toBe('0640');
    expect(fs.mode('/root/up/a\n/root')).toBe('0750');
    expect(fs.mode('/root/up/sub/f')).toBe('0640');
    expect(fs.uid('/root/up/a\n/root/victim2')).toBe(65534);
    expect(lstatSync(fs.path('/root/up/l')).uid).toBe(65534);
    expect(lstatSync(fs.path('/root/up/sub/dirlink')).gid).toBe(65534);
  });

  it('replace and ini_file keep every byte they do not change: bytes that are not UTF-8, CRLF, a BOM', async () => {
    await sh(host, "printf 'caf\\351 \\377\\r\\nport 80\\r\\n' > /root/bytes.txt && printf '\\357\\273\\277; caf\\351\\r\\n[s]\\r\\nk = 1\\r\\n\\r\\n[t]\\r\\nx = \\377\\r\\n' > /root/bytes.ini");
    const fs = onHost(lab, host);
    await runTwice(lab, host, [
      replace({ path: '/root/bytes.txt', regexp: '^port \\d+', replace: 'port 8080' }),
      iniFile({ path: '/root/bytes.ini', section: 's', option: 'k', value: '2' }),
      iniFile({ path: '/root/bytes.ini', section: 's', option: 'n', value: '3' }),
    ]);
    expect(fs.read('/root/bytes.txt').toString('latin1')).toBe('caf\xe9 \xff\r\nport 8080\r\n');
    expect(fs.read('/root/bytes.ini').toString('latin1')).toBe('\xef\xbb\xbf; caf\xe9\r\n[s]\r\nk = 2\r\nn = 3\r\n\r\n[t]\r\nx = \xff\r\n');
  });

  it('relative paths starting with "-" are files, not options: copy keeps the mode of ./-, file, lineinfile and stat', async () => {
    // relative paths are relative to the login directory (/root), as in Ansible
    await sh(host, "cd /root && rm -rf ./- ./-rf ./--help ./-x ./-l ./-conf && printf 'old\\n' > ./- && chmod 0600 ./- && mkdir ./-x && : > ./-x/f");
    const fs = onHost(lab, host);
    const first = await runTwice(lab, host, [
      copy({ dest: '-', content: 'new\n' }, { name: 'copy' }),
      file({ path: '-rf', state: 'touch', mode: '0640', modification_time: 'preserve', access_time: 'preserve' }),
      file({ path: '--help', state: 'directory', mode: '0750' }),
      file({ path: '-x', state: 'directory', mode: '0700', recurse: true }),
      file({ path: '-l', state: 'link', src: '-rf' }),
      lineinfile({ path: '-conf', line: 'k=v', create: true, mode: '0604' }),
      stat({ path: '-' }, { name: 'stat' }),
    ]);
    expect(resultOf(first, 'copy').changed).toBe(true);
    expect(fs.text('/root/-')).toBe('new\n');
    expect(fs.mode('/root/-')).toBe('0600');
    expect(fs.mode('/root/-rf')).toBe('0640');
    expect(fs.mode('/root/--help')).toBe('0750');
    expect([fs.mode('/root/-x'), fs.mode('/root/-x/f')]).toEqual(['0700', '0700']);
    expect(fs.link('/root/-l')).toBe('-rf');
    expect([fs.text('/root/-conf'), fs.mode('/root/-conf')]).toEqual(['k=v\n', '0604']);
    expect(resultOf(first, 'stat').data?.stat).toMatchObject({ exists: true, isreg: true, mode: '0600', size: 4 });
  });
});
