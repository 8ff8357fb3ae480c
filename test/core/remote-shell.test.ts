import { describe, expect, it, jest } from '@jest/globals';
import { readFileSync } from 'node:fs';
import ssh2 from 'ssh2';
import { sshConnect, script } from '@shipshape/core';
import { readFileCommand, parseReadFile } from '@shipshape/core/module-kit';
import { useLab, useSsh } from '../support/lab.js';

// Plain commands run in one long-lived shell per connection; these are the ways that could go wrong.
const lab = useLab({ id: 83, hosts: [{ name: 'deb1' }, { name: 'bb1', profile: 'busybox' }] });

// Commands marked contained print straight to the shell; all others through files of their own.
describe.each([['deb1', false], ['bb1', false], ['deb1', true], ['bb1', true]])('the long-lived remote shell on %s (contained: %s)', (name, contained) => {
  const conn = useSsh(lab, name);
  const run = (text: string) => conn.exec({ ...script(text), contained });

  it('runs many commands over one channel, stdout and stderr apart, exit codes kept', async () => {
    const before = conn.channelCount;
    for (let i = 0; i < 20; i++) {
      const r = await run(`echo out${i}; echo err${i} >&2; exit ${i % 3}`);
      expect(r).toMatchObject({ code: i % 3, stdout: `out${i}\n`, stderr: `err${i}\n` });
    }
    expect(conn.channelCount - before).toBeLessThanOrEqual(1);
  });

  it('keeps no state between commands and gives them no stdin', async () => {
    await run('cd /tmp; X=leaked; export Y=leaked; set -e; umask 077');
    const r = await run('pwd; echo "[$X][$Y]"; umask; cat');
    expect(r.stdout).toBe(`${(await run('cd; pwd')).stdout}[][]\n${(await run('umask')).stdout}`);
    expect(r.code).toBe(0);
  });

  it('a syntax error fails that command alone', async () => {
    const bad = await run(`echo 'unterminated`);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).not.toBe('');
    expect((await run('echo fine')).stdout).toBe('fine\n');
  });

  it('binary output without a trailing newline comes back byte for byte, large output too', async () => {
    const r = await run(`printf 'a\\000b\\377'`);
    expect(r.stdoutBytes).toEqual(Buffer.from([0x61, 0, 0x62, 0xff]));
    const big = await run('i=0; while [ $i -lt 40000 ]; do echo "line $i of many"; i=$((i+1)); done');
    const lines = big.stdout.split('\n');
    expect(lines).toHaveLength(40001);
    expect(lines[39999]).toBe('line 39999 of many');
  });

  it('a command that kills the shell fails, and the next command gets a new shell', async () => {
    const killed = await run('kill -9 $$');
    expect(killed.code).toBe(-1);
    expect(killed.stderr).toContain('remote shell exited');
    expect((await run('echo again')).stdout).toBe('again\n');
  });

  it('commands issued together run together (the shell takes one, channels the rest)', async () => {
    // A barrier: each command waits until all four have started; run one after another, none would see four.
    await run('rm -rf /tmp/barrier; mkdir /tmp/barrier');
    const wait = (i: number) => `touch /tmp/barrier/${i}; n=0; while [ "$(ls /tmp/barrier | wc -l)" -lt 4 ] && [ $n -lt 100 ]; do sleep 0.1; n=$((n+1)); done; ls /tmp/barrier | wc -l`;
    const rs = await Promise.all([1, 2, 3, 4].map((i) => run(wait(i))));
    expect(rs.map((r) => r.stdout.trim())).toEqual(['4', '4', '4', '4']);
  });
});

describe.each(['deb1', 'bb1'])('background jobs a command leaves on %s', (name) => {
  const conn = useSsh(lab, name);
  // A job that waits on a FIFO: it speaks (stdout and stderr) when the test opens the FIFO from outside, then says it has.
  const job = (fifo: string, done: 'before' | 'after') => {
    const mark = `: > ${fifo}.done`;
    return `read x < ${fifo}; ${done === 'before' ? `${mark}; ` : ''}echo LATE-OUT; echo LATE-ERR >&2${done === 'after' ? `; ${mark}` : ''}`;
  };
  const prepare = (fifo: string) => `rm -f ${fifo} ${fifo}.done; mkfifo ${fifo}; `;
  const speak = async (fifo: string) => {
    const r = await lab.exec(name, `echo go > ${fifo}; while [ ! -e ${fifo}.done ]; do sleep 0.01; done`);
    expect(r.code).toBe(0);
  };

  it('never write into a later command, not even the read a file edit is planned on', async () => {
    await lab.exec(name, "printf 'line one\\n' > /tmp/edited");
    // A job of the command's own shell, and one of a shell it started (a daemon's way: not a job of ours).
    for (const leave of [(j: string) => `( ${j} ) &`, (j: string) => `sh -c '( ${j} ) &'`]) {
      const started = await conn.exec(script(`${prepare('/tmp/bg1')}${leave(job('/tmp/bg1', 'after'))}\necho started`));
      expect(started).toMatchObject({ code: 0, stdout: 'started\n', stderr: '' });
      // The job speaks while the shell is idle; then a file is read (a contained command, straight to the shell).
      await speak('/tmp/bg1');
      const read = await conn.exec(readFileCommand('/tmp/edited'));
      expect({ stdout: read.stdout, stderr: read.stderr }).toEqual({ stdout: 'file 644 root root 0 0\nline one\n', stderr: '' });
      expect(parseReadFile(read.stdoutBytes).content?.toString()).toBe('line one\n');
      const next = await conn.exec(script('echo next'));
      expect({ stdout: next.stdout, stderr: next.stderr }).toEqual({ stdout: 'next\n', stderr: '' });
    }
  });

  it('do not hold a command that has exited, on the shell or on a channel of its own', async () => {
    for (const options of [{}, { stdin: 'x' }, { timeoutMs: 60_000 }]) {
      // The job keeps the command's stdout and stderr open until the test lets it go (on a closed channel it may die of SIGPIPE).
      const r = await conn.exec(script(`${prepare('/tmp/bg2')}( ${job('/tmp/bg2', 'before')} ) & echo started`), options);
      expect({ options, code: r.code, stdout: r.stdout }).toEqual({ options, code: 0, stdout: 'started\n' });
      await speak('/tmp/bg2');
    }
  }, 30_000);
});

describe('host keys sshd announces after authentication (hostkeys-00@openssh.com)', () => {
  it('are acknowledged and dropped: no proof is asked for, as with OpenSSH UpdateHostKeys no', async () => {
    // ssh2 proves announced keys (a round trip and a signature per key) and then emits 'hostkeys'.
    const emit = jest.spyOn(ssh2.Client.prototype, 'emit');
    const proved = () => emit.mock.contexts.filter((_, i) => emit.mock.calls[i]![0] === 'hostkeys');
    try {
      // Bare ssh2 on the same host first: the server announces, ssh2 proves. The proof's reply comes before
      // the reply to anything sent after it (sshd answers in order), so it is in once a command has run.
      const spec = lab.hostSpec('deb1').connection as { host: string; port: number; privateKeyPath: string };
      const raw = new ssh2.Client();
      await new Promise<void>((resolve, reject) => {
        raw.on('error', reject).on('ready', () => raw.exec('true', (err, s) => (err ? reject(err) : s.resume().on('close', () => resolve()))));
        raw.connect({ host: spec.host, port: spec.port, username: 'root', privateKey: readFileSync(spec.privateKeyPath) });
      });
      raw.end();
      expect(proved()).toEqual([raw]);
      const conn = await sshConnect('deb1', lab.hostSpec('deb1').connection);
      expect((await conn.exec(script('echo after'))).stdout).toBe('after\n');
      await conn.close();
      expect(proved()).toEqual([raw]);
    } finally {
      emit.mockRestore();
    }
  });
});
