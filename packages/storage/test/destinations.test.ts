// Every destination kind against real servers of lab hosts: FTP uploads from the source host
// (lftp, curl), FTPS with the NAS's own CA, SFTP with a key through the NAS's sshd, a directory
// on a host; store + prune; a source-side upload failing leaves the generations alone.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { sshConnect, type SshConnection } from '@shipshape/core';
import {
  downloadToHost, fromHostFile, fromStream, openDestination, prune, rotate, store, withDestination, StorageError,
  type Destination, type DestinationClient,
} from '@shipshape/storage';
import { startLab, type Lab } from '@shipshape/testlab';
import { entries, ftpStart, ftpStop, nasDir, nasFtp, nasSftp, treeSums } from './support/nas.js';

let lab: Lab;
let src: SshConnection;
const srcRoot = () => lab.hosts[1]!.root;

beforeAll(async () => {
  lab = await startLab({ id: 41, hosts: [{ name: 'nas1', profile: 'nas' }, { name: 'src1' }] });
  src = await sshConnect('src1', lab.hostSpec('src1').connection);
  // A 3 MiB file with a name that needs quoting everywhere.
  const r = await lab.exec('src1', `mkdir -p /srv && head -c 3145728 /dev/urandom > "/srv/db dump 'x'.bin"`);
  expect(r.code).toBe(0);
});
afterAll(async () => {
  await src?.close();
  await lab?.stop();
});

const FILE = "/srv/db dump 'x'.bin";
/** SHA-256 of a file on the controller's view of a lab disk (never compare MiB buffers with toEqual: slow). */
const sum = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
const srcSum = () => sum(join(srcRoot(), FILE));

describe('FTP from the source host', () => {
  it('uses lftp on the source host and verifies size and checksum', async () => {
    const r = await store(nasFtp(lab, 'nas1', '/host-side'), 'db.bin', fromHostFile(src, FILE));
    expect(r).toMatchObject({ via: 'source', tool: 'lftp', bytes: 3145728, verified: 'checksum' });
    expect(sum(nasDir(lab, 'nas1', 'host-side/db.bin'))).toBe(srcSum());
    expect(entries(nasDir(lab, 'nas1', 'host-side'))).toEqual(['db.bin']);
  });

  it('uses curl when the host has no lftp', async () => {
    const hide = await lab.exec('src1', 'mv /usr/bin/lftp /usr/bin/lftp.hidden');
    expect(hide.code).toBe(0);
    try {
      const r = await store(nasFtp(lab, 'nas1', '/host-side'), 'db-curl.bin', fromHostFile(src, FILE));
      expect(r).toMatchObject({ via: 'source', tool: 'curl', bytes: 3145728 });
    } finally {
      await lab.exec('src1', 'mv /usr/bin/lftp.hidden /usr/bin/lftp');
    }
    expect(sum(nasDir(lab, 'nas1', 'host-side/db-curl.bin'))).toBe(srcSum());
  });

  it('a failing source-side upload (server down) rotates nothing', async () => {
    const dest = nasFtp(lab, 'nas1', '/gens');
    for (let i = 0; i < 3; i++) await rotate({ dest, keep: 3, files: [{ name: 'db.bin', source: fromHostFile(src, FILE) }] });
    const before = treeSums(nasDir(lab, 'nas1', 'gens'));
    expect(Object.keys(before).sort()).toEqual(['daily.0/db.bin', 'daily.1/db.bin', 'daily.2/db.bin']);
    // Connected, staging created; then the server goes away before lftp runs on the source host.
    const client = await openDestination(dest);
    const stopping: DestinationClient = Object.assign(Object.create(client) as DestinationClient, {
      mkdir: async (p: string) => {
        await client.mkdir(p);
        if (p === 'daily.staging') await ftpStop(lab, 'nas1');
      },
    });
    const err = await rotate({ dest: stopping, keep: 3, files: [{ name: 'db.bin', source: fromHostFile(src, FILE) }] }).catch((e: unknown) => e);
    client.close();
    await ftpStart(lab, 'nas1');
    expect(err).toBeInstanceOf(StorageError);
    expect((err as Error).message).toMatch(/upload failed: daily\.staging\/db\.bin: lftp on src1 failed \(exit 1\): .*(refused|Fatal error)/);
    const after = treeSums(nasDir(lab, 'nas1', 'gens'));
    for (const [k, v] of Object.entries(before)) expect(after[k]).toBe(v);
  });
});

describe('other destinations', () => {
  const kinds: [string, () => Destination, (p: string) => string][] = [
    ['ftps (explicit TLS, NAS CA)', () => nasFtp(lab, 'nas1', '/tls', 'ftps'), (p) => nasDir(lab, 'nas1', `tls/${p}`)],
    ['sftp (key, host key checked)', () => nasSftp(lab, 'nas1', 'sftp-gens'), (p) => nasDir(lab, 'nas1', `sftp-gens/${p}`)],
    ['local (directory on another host)', () => ({ type: 'local', on: src, path: '/backup/local gens' }), (p) => join(srcRoot(), 'backup/local gens', p)],
  ];
  for (const [label, dest, onDisk] of kinds) {
    it(`${label}: rotation with keep 2 over three runs`, async () => {
      for (let i = 1; i <= 3; i++) {
        const r = await rotate({ dest: dest(), keep: 2, name: 'nightly', files: [
          { name: 'n.txt', source: fromStream(Readable.from([Buffer.from(`night ${i}`)])) },
          { name: 'db.bin', source: fromHostFile(src, FILE) },
        ] });
        expect(r.generations).toEqual(i === 1 ? ['nightly.0'] : ['nightly.0', 'nightly.1']);
      }
      expect(entries(onDisk(''))).toEqual(['nightly.0', 'nightly.1']);
      expect(readFileSync(onDisk('nightly.0/n.txt'), 'utf8')).toBe('night 3');
      expect(readFileSync(onDisk('nightly.1/n.txt'), 'utf8')).toBe('night 2');
      expect(sum(onDisk('nightly.0/db.bin'))).toBe(srcSum());
    });
  }

  it('local destination on the source host itself copies with cp', async () => {
    const r = await store({ type: 'local', on: src, path: '/backup/same' }, 'db.bin', fromHostFile(src, FILE));
    expect(r).toMatchObject({ via: 'source', tool: 'cp', verified: 'checksum' });
  });

  it('local destination: a name holding a newline and tabs lists as one entry, never as a forged generation', async () => {
    const made = await lab.exec('src1', `mkdir -p /backup/odd/nightly.0 && cd /backup/odd && : > "$(printf 'x\\nfile\\t0\\tnightly.5')"`);
    expect(made.code).toBe(0);
    const list = await withDestination({ type: 'local', on: src, path: '/backup/odd' }, (c) => c.list());
    expect(list.map((e) => [e.type, e.name]).sort()).toEqual([['dir', 'nightly.0'], ['file', 'x\nfile\t0\tnightly.5']]);
  });

  it('sftp refuses a host whose key is not in known_hosts', async () => {
    const bad = { ...nasSftp(lab, 'nas1', 'x'), knownHostsFile: join(lab.dir, 'empty_known_hosts') };
    writeFileSync(bad.knownHostsFile, '');
    await expect(openDestination(bad)).rejects.toThrow(/sftp:\/\/backup@127\.77\.41\.1:22\/x: connect failed: .*not in .*empty_known_hosts/);
  });
});

describe('download back onto a host', () => {
  const kinds: [string, () => Destination][] = [
    ['ftp', () => nasFtp(lab, 'nas1', '/dl')],
    ['sftp', () => nasSftp(lab, 'nas1', 'dl-sftp')],
    ['local', () => ({ type: 'local', on: src, path: '/backup/dl local' })],
  ];
  for (const [label, dest] of kinds) {
    it(`${label}: the file arrives whole under its target name; a missing one leaves nothing`, async () => {
      await store(dest(), 'db.bin', fromHostFile(src, FILE));
      const got = await withDestination(dest(), (c) => downloadToHost(c, 'db.bin', src, `/srv/back ${label}.bin`));
      expect(got).toEqual({ path: `/srv/back ${label}.bin`, bytes: 3145728, sha256: srcSum() });
      expect(sum(join(srcRoot(), `srv/back ${label}.bin`))).toBe(srcSum());
      await expect(withDestination(dest(), (c) => downloadToHost(c, 'nope.bin', src, '/srv/nope.bin'))).rejects.toThrow(/download failed: nope\.bin: no such file/);
      expect((await lab.exec('src1', `ls /srv | grep -c 'nope\\|part'; true`)).stdout).toBe('0\n');
    });
  }
});

describe('bad sources', () => {
  it('a missing source file fails before anything is uploaded, naming host and path', async () => {
    const dest = nasFtp(lab, 'nas1', '/missing');
    for (const via of ['auto', 'controller'] as const) {
      await expect(store(dest, 'x.bin', fromHostFile(src, '/srv/no such file'), { via })).rejects.toThrow(
        /^ftp:\/\/backup@127\.77\.41\.1:21\/missing: upload failed: x\.bin\.part: cannot read \/srv\/no such file on src1: /,
      );
    }
    expect(entries(nasDir(lab, 'nas1', 'missing'))).toEqual([]);
  });
});

describe('store and prune on a flat directory', () => {
  it('keeps what keep-last/keep-daily select and deletes the rest', async () => {
    const dest = nasFtp(lab, 'nas1', '/flat');
    const names = ['2024_01_01-02_00_00', '2024_01_02-02_00_00', '2024_01_02-14_00_00', '2024_01_03-02_00_00', '2024_01_04-02_00_00'];
    for (const n of names) await store(dest, `cfg-${n}.tgz`, fromStream(Readable.from([Buffer.from(n)])));
    await store(dest, 'README', fromStream(Readable.from([Buffer.from('not a backup')])));
    const d = await prune(dest, { keepLast: 1, keepDaily: 2 });
    // keep-last covers the 4th; keep-daily then takes the newest of the 3rd and of the 2nd.
    expect(d.keep.map((k) => `${k.name}:${k.by}`)).toEqual([
      'cfg-2024_01_04-02_00_00.tgz:last', 'cfg-2024_01_03-02_00_00.tgz:daily', 'cfg-2024_01_02-14_00_00.tgz:daily',
    ]);
    expect(d.remove).toEqual(['cfg-2024_01_02-02_00_00.tgz', 'cfg-2024_01_01-02_00_00.tgz']);
    expect(d.ignored).toEqual(['README']);
    expect(entries(nasDir(lab, 'nas1', 'flat'))).toEqual([
      'README', 'cfg-2024_01_02-14_00_00.tgz', 'cfg-2024_01_03-02_00_00.tgz', 'cfg-2024_01_04-02_00_00.tgz',
    ]);
  });
});
