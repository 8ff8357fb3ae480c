import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { inspectBundle, stateDigest, stateFiles } from './bundle.js';
import { unsavedFiles } from './persist.js';
import { bundleName, bundleStamp, bundlesToPrune, hostBundles } from './internal/store.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'bundles');
const read = (n: string) => readFileSync(path.join(fixtures, n));

describe('config bundles (made by the lab simulator)', () => {
  it('reads the manifest and digests the /etc files inside', () => {
    const info = inspectBundle(read('configBundle-vm.tgz'), 'configBundle-vm.tgz');
    expect(info.manifest).toMatchObject({ build: '21495797', version: '8.0.1', hostname: 'vm' });
    expect(info.configDigest).toMatch(/^[0-9a-f]{64}$/);
  });
  it('names a file that is no bundle', () => {
    expect(() => inspectBundle(read('state.tgz'), 'x/state.tgz')).toThrow('x/state.tgz is not an ESXi config bundle: it has no Manifest.txt and state.tgz');
    expect(() => inspectBundle(Buffer.from('hello'), 'hello.tgz')).toThrow('hello.tgz is not an ESXi config bundle');
  });
  it('digests a state.tgz by content, not by archive bytes', () => {
    expect(stateDigest(read('state.tgz'))).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('state.tgz read back (persistConfig)', () => {
  const state = read('state.tgz');
  const saved = stateFiles(state) as Map<string, Buffer>;
  it('lists the files of local.tgz by path', () => {
    expect([...saved.keys()]).toEqual(expect.arrayContaining(['etc/passwd', 'etc/ssh/sshd_config', 'etc/vmware/esx.conf']));
  });
  it('names the files whose host bytes the state does not hold; gone files are not checked', () => {
    const current = new Map<string, Buffer | undefined>([
      ['/etc/passwd', saved.get('etc/passwd')],
      ['/etc/ssh/sshd_config', Buffer.concat([saved.get('etc/ssh/sshd_config')!, Buffer.from('MaxSessions 2\n')])],
      ['/etc/hosts', Buffer.from('127.0.0.1 localhost\n')],
      ['/etc/vmware/esx.conf', undefined],
    ]);
    expect(unsavedFiles(state, current)).toEqual(['/etc/hosts', '/etc/ssh/sshd_config']);
  });
});

describe('bundle generations', () => {
  const stamp = bundleStamp(new Date(Date.UTC(2026, 10, 22, 4, 5, 12, 345)));
  it('names bundles configBundle-<host>-<UTC stamp>.tgz', () => {
    expect(bundleName('esx1', stamp)).toBe('configBundle-esx1-20261122T040512.345Z.tgz');
  });
  it('keeps the newest N of one host and leaves other files alone', () => {
    const names = [
      'configBundle-esx1-20261122T040512Z.tgz', 'configBundle-esx1-20261120T010000Z.tgz', 'configBundle-esx1-20261121T010000Z.tgz',
      'configBundle-esx10-20261101T010000Z.tgz', 'configBundle-esx1-20261121T010000.500Z.tgz', 'configBundle-esx1-notes.txt', 'README',
    ];
    expect(hostBundles(names, 'esx1')).toEqual([
      'configBundle-esx1-20261120T010000Z.tgz', 'configBundle-esx1-20261121T010000Z.tgz', 'configBundle-esx1-20261121T010000.500Z.tgz',
      'configBundle-esx1-20261122T040512Z.tgz',
    ]);
    expect(bundlesToPrune(names, 'esx1', 2)).toEqual(['configBundle-esx1-20261120T010000Z.tgz', 'configBundle-esx1-20261121T010000Z.tgz']);
    expect(bundlesToPrune(names, 'esx1', 5)).toEqual([]);
  });
});
