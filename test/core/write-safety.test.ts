import { beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { playbook, run, staticInventory, task } from '@shipshape/core';
import { copy } from '@shipshape/builtin';
import { writeFileCommand } from '../../packages/core/src/internal/file-commands.js';
import { useLab, useSsh } from '../support/lab.js';

// How a write treats the bytes it has not yet put in place: invisible to other local users while the temp
// file fills, and nothing of it left behind by a writer that died.
const lab = useLab({ id: 161, hosts: [{ name: 'deb1' }, { name: 'bb1', profile: 'busybox' }] });
const SECRET = 'vaulted-value-4f1d';
const NOBODY = 'setpriv --reuid=65534 --regid=65534 --clear-groups';
beforeAll(async () => {
  for (const h of lab.hosts) expect((await lab.exec(h.name, 'mkdir -p /srv/w && chmod 0755 /srv/w')).code).toBe(0);
});

const host = (name: string) => lab.hosts.find((h) => h.name === name)!;
const temps = (name: string, dir: string) => readdirSync(join(host(name).root, dir)).filter((f) => f.startsWith('.shipshape.'));

/** Resolves once `ready()` holds, checked as the host writes (a condition, not a time). */
async function until(ready: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (ready()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe.each(['deb1', 'bb1'])('writes on %s', (name) => {
  const conn = useSsh(lab, name);

  it('the temp file of a mode 0600 file is private from its creation, while its bytes arrive', async () => {
    // Content on stdin, held back after the first part: the temp file then exists, part full, for as long as we look.
    const first = `${SECRET}-part-one\n`;
    const rest = `${SECRET}-part-two\n`;
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    const stdin = Readable.from((async function* () {
      yield Buffer.from(first);
      await released;
      yield Buffer.from(rest);
    })());
    const path = '/srv/w/secret.conf';
    const write = conn.exec(writeFileCommand(path, { mode: '0600' }, first.length + rest.length), { stdin });
    const temp = () => temps(name, 'srv/w')[0];
    await until(() => temp() !== undefined && statSync(join(host(name).root, 'srv/w', temp()!)).size === first.length, 'the first part in the temp file');
    const seen = temp()!;
    expect((statSync(join(host(name).root, 'srv/w', seen)).mode & 0o777).toString(8)).toBe('600');
    const peek = await lab.exec(name, `${NOBODY} cat /srv/w/${seen}`);
    expect(peek.stdout).not.toContain(SECRET);
    expect(peek.code).not.toBe(0);
    release();
    const r = await write;
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    expect(readFileSync(join(host(name).root, 'srv/w/secret.conf'), 'utf8')).toBe(first + rest);
    expect((statSync(join(host(name).root, 'srv/w/secret.conf')).mode & 0o777).toString(8)).toBe('600');
    expect(temps(name, 'srv/w')).toEqual([]);
  });

  it('a later write in the directory removes temp files a dead writer left, and nothing else', async () => {
    // A writer's shell killed between creating its temp file and the rename (what a cut connection does).
    const died = await lab.exec(name, `cd /srv/w && sh -c 'echo partial > .shipshape.$$.tmp; echo $$'`);
    const dead = died.stdout.trim();
    const live = (await lab.exec(name, 'sleep 1000 >/dev/null 2>&1 & echo $!')).stdout.trim();
    const setup = [
      `cd /srv/w && echo 2 > .shipshape.${dead}.AbC123 && echo keep > .shipshape.${live}.tmp && echo keep > .shipshape.notes`,
      `echo keep > /srv/outside && ln -s /srv/outside .shipshape.${dead}.XyZ789 && echo keep > .shipshape.${dead}.tmp.bak`,
      `echo keep > .shipshape.${Number(dead) + 1}.tmp && chown 65534 .shipshape.${Number(dead) + 1}.tmp`,
    ].join(' && ');
    expect((await lab.exec(name, setup)).code).toBe(0);
    const r = await conn.exec(writeFileCommand('/srv/w/next.conf', {}, 3, Buffer.from('ok\n')));
    expect(r.code).toBe(0);
    await lab.exec(name, `kill ${live}`);
    expect(temps(name, 'srv/w').sort()).toEqual([`.shipshape.${Number(dead) + 1}.tmp`, `.shipshape.${dead}.XyZ789`, `.shipshape.${dead}.tmp.bak`, `.shipshape.${live}.tmp`, '.shipshape.notes'].sort());
    expect(readFileSync(join(host(name).root, 'srv/outside'), 'utf8')).toBe('keep\n');
    await lab.exec(name, 'rm -f /srv/w/.shipshape.*');
  });

  it('a connection cut mid-write makes the host unreachable, and its next connection leaves no temp file', async () => {
    // The write's bytes come on stdin, held after the first part; then the connection dies with its writer (no
    // trap of the writer can run): its sshd processes and the writing shell are killed together.
    await lab.exec(name, 'mkdir -p /srv/cut && echo old > /srv/cut/f.conf');
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    const stdin = Readable.from((async function* () {
      yield Buffer.from('first part\n');
      await released;
      yield Buffer.from('second part\n');
    })());
    const cut = (async () => {
      await until(() => temps(name, 'srv/cut').length === 1 && statSync(join(host(name).root, 'srv/cut', temps(name, 'srv/cut')[0]!)).size > 0, 'the temp file');
      const writer = /^\.shipshape\.(\d+)(?:\.tmp)?$/.exec(temps(name, 'srv/cut')[0]!)![1];
      // The writer is its channel's session leader; its sshd ancestors below the listener (whose parent is the
      // host's init) are the connection's.
      const kill = `w=${writer}; kill -STOP -$w; k=; p=$w; while read -r _ _ _ q _ < /proc/$p/stat && read -r _ _ _ r _ < /proc/$q/stat && [ "$r" != 1 ]; do k="$k $q"; p=$q; done; kill -9 $k; kill -9 -$w`;
      const killed = await lab.exec(name, kill);
      expect({ code: killed.code, err: killed.stderr }).toEqual({ code: 0, err: '' });
      release();
    })();
    const pb = playbook({ name: 'cut', tasks: [task('big write', async (h) => {
      await h.run(writeFileCommand('/srv/cut/f.conf', {}, 23), { stdin });
    })] });
    const s = await run(pb, { inventory: staticInventory([lab.hostSpec(name)]) });
    await cut;
    expect({ unreachable: s.unreachableHosts, failed: s.stats[name]?.failed }).toEqual({ unreachable: [name], failed: 0 });
    expect(temps(name, 'srv/cut')).toHaveLength(1);
    const next = await run(playbook({ name: 'next', tasks: [copy({ dest: '/srv/cut/g.conf', content: 'next\n' })] }), { inventory: staticInventory([lab.hostSpec(name)]) });
    expect(next.ok).toBe(true);
    expect(temps(name, 'srv/cut')).toEqual([]);
    expect(readFileSync(join(host(name).root, 'srv/cut/f.conf'), 'utf8')).toBe('old\n');
  });
});

describe('copy of a secret with mode 0600 (Debian: every process the write starts looks at its temp file)', () => {
  it('no other user can read the temp file at any step of the write', async () => {
    // stat, chmod and mv run after the bytes are in: wrappers first on PATH try to read the temp file as nobody.
    const log = '/var/tmp/peek.log';
    const wrapper = (tool: string) =>
      `#!/bin/sh\nfor a in "$@"; do case $a in */.shipshape.*) if [ -f "$a" ]; then if ${NOBODY} cat -- "$a" 2>/dev/null | grep -q ${SECRET}; then echo "${tool} readable" >> ${log}; else echo "${tool} private" >> ${log}; fi; fi ;; esac; done\nexec /usr/bin/${tool} "$@"\n`;
    for (const tool of ['stat', 'chmod', 'mv']) {
      writeFileSync(join(host('deb1').root, 'usr/local/bin', tool), wrapper(tool), { mode: 0o755 });
    }
    try {
      const pb = playbook({ name: 'secret', tasks: [copy({ dest: '/srv/w/db.secret', content: `password=${SECRET}\n`, mode: '0600' })] });
      const inventory = staticInventory([lab.hostSpec('deb1')]);
      const first = await run(pb, { inventory });
      expect(first.results.map((r) => r.result.status)).toEqual(['changed']);
      expect((await run(pb, { inventory })).results.map((r) => r.result.status)).toEqual(['ok']);
      const seen = readFileSync(join(host('deb1').root, log), 'utf8').trim().split('\n');
      expect(seen).toContain('mv private');
      expect(seen.filter((l) => l.endsWith('readable'))).toEqual([]);
      expect((statSync(join(host('deb1').root, 'srv/w/db.secret')).mode & 0o777).toString(8)).toBe('600');
    } finally {
      for (const tool of ['stat', 'chmod', 'mv']) await lab.exec('deb1', `rm -f /usr/local/bin/${tool}`);
    }
    expect(existsSync(join(host('deb1').root, 'usr/local/bin/mv'))).toBe(false);
  });
});
