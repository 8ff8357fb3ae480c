import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:net';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { sshConnect, ConnectError, playbook, run, sh, task, type Host } from '@shipshape/core';
import { startLab, type Lab } from '@shipshape/testlab';

let lab: Lab;
beforeAll(async () => {
  lab = await startLab({ id: 78, hosts: [{ name: 'sftp1' }, { name: 'bb1', profile: 'busybox' }] });
});
afterAll(async () => {
  await lab?.stop();
});

describe('file transfer', () => {
  it.each(['sftp1', 'bb1'])('uploads and downloads binary data on %s (SFTP, or cat where there is no sftp-server)', async (name) => {
    const conn = await sshConnect(name, lab.hostSpec(name).connection);
    try {
      const data = randomBytes(3 * 1024 * 1024 + 17);
      await conn.upload(Readable.from([data.subarray(0, 1000), data.subarray(1000)]), '/root/blob.bin', { mode: 0o600 });
      const host = lab.hosts.find((h) => h.name === name)!;
      expect(readFileSync(join(host.root, 'root/blob.bin')).equals(data)).toBe(true);
      const sink = new PassThrough();
      const chunks: Buffer[] = [];
      sink.on('data', (c: Buffer) => chunks.push(c));
      await conn.download('/root/blob.bin', sink);
      expect(Buffer.concat(chunks).equals(data)).toBe(true);
      const mode = await conn.exec({ text: 'stat -c %a /root/blob.bin', display: 'stat' });
      expect(mode.stdout.trim()).toBe('600');
    } finally {
      await conn.close();
    }
  });

  it('a relative path "-" is a file, not stdin, on bb1 (no sftp-server: cat)', async () => {
    const conn = await sshConnect('bb1', lab.hostSpec('bb1').connection);
    try {
      await conn.upload(Buffer.from('dash\n'), '-', { mode: 0o640 });
      const host = lab.hosts.find((h) => h.name === 'bb1')!;
      expect(readFileSync(join(host.root, 'root/-'), 'utf8')).toBe('dash\n');
      const sink = new PassThrough();
      const chunks: Buffer[] = [];
      sink.on('data', (c: Buffer) => chunks.push(c));
      await conn.download('-', sink);
      expect(Buffer.concat(chunks).toString()).toBe('dash\n');
    } finally {
      await conn.close();
    }
  });
});

describe('transfers without sftp-server, many in a row', () => {
  // A small file's whole channel (data, EOF, exit status, close) often arrives in one read from the
  // socket; the exit status must not be lost then. Several downloads at once make that likely.
  const sizes = [0, 1, 2, 4095, 65537, 1024 * 1024];
  it('downloads 200 files of 0 B to 1 MiB on bb1 with exact bytes and no error, and uploads them back', async () => {
    const conn = await sshConnect('bb1', lab.hostSpec('bb1').connection);
    const host = lab.hosts.find((h) => h.name === 'bb1')!;
    try {
      const files = sizes.map((n, i) => ({ path: `/root/many.${i}`, data: randomBytes(n) }));
      for (const f of files) await conn.upload(f.data, f.path);
      const download = async (path: string) => {
        const sink = new PassThrough();
        const chunks: Buffer[] = [];
        sink.on('data', (c: Buffer) => chunks.push(c));
        await conn.download(path, sink);
        return Buffer.concat(chunks);
      };
      const wrong: string[] = [];
      for (let round = 0; round < 200 / 8; round++) {
        await Promise.all(Array.from({ length: 8 }, async (_, k) => {
          const f = files[(round * 8 + k) % files.length]!;
          const got = await download(f.path).catch((e: Error) => e);
          if (got instanceof Error) wrong.push(`${f.path}: ${got.message}`);
          else if (!got.equals(f.data)) wrong.push(`${f.path}: ${got.length} bytes, not ${f.data.length}`);
        }));
      }
      expect(wrong).toEqual([]);
      for (let round = 0; round < 40 / 8; round++) {
        await Promise.all(Array.from({ length: 8 }, async (_, k) => {
          const f = files[(round * 8 + k) % files.length]!;
          const up = `${f.path}.up${k}`;
          await conn.upload(f.data, up);
          if (!readFileSync(join(host.root, up.slice(1))).equals(f.data)) wrong.push(`upload ${up}`);
        }));
      }
      expect(wrong).toEqual([]);
    } finally {
      await conn.close();
    }
  });
});

describe('reconnect after a reboot', () => {
  it('a task reboots its host, reconnects, and later tasks use the new connection', async () => {
    const ports: string[] = [];
    const port = async (h: Host) => ports.push((await h.$`echo $SSH_CONNECTION`).stdout.split(' ')[1]!);
    const pb = playbook({ name: 'reboot', hosts: 'sftp1', tasks: [
      task('before', async (h) => { await port(h); }),
      task('reboot', async (h) => {
        await h.run(sh`/sbin/lab-reboot`, { allowFail: true }).catch(() => undefined);
        await h.reconnect({ timeoutMs: 30_000 });
        await port(h);
        return { changed: true };
      }),
      task('after', async (h) => { await port(h); }),
    ] });
    const s = await run(pb, { inventory: lab.inventory });
    expect(s.ok).toBe(true);
    expect(ports[1]).not.toBe(ports[0]);
    expect(ports[2]).toBe(ports[1]);
  });
});

describe('connect timeout', () => {
  let silent: Server;
  afterAll(() => {
    silent?.close();
  });
  it('reports a host that accepts TCP but never speaks SSH as a timeout', async () => {
    silent = createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    const port = (silent.address() as { port: number }).port;
    const err = await sshConnect('mute', { type: 'ssh', host: '127.0.0.1', port, connectTimeoutMs: 500, hostKeyPolicy: 'off' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectError);
    expect((err as ConnectError).reason).toBe('timeout');
  });
});
