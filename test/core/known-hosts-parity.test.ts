/**
 * known_hosts verdicts compared with the real OpenSSH client: every case writes one known_hosts
 * file, runs `ssh -o StrictHostKeyChecking=<policy>` against a lab sshd and shipshape's connection
 * on a copy of the same file, and expects the same outcome (connects or not, why, and the file
 * afterwards).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConnectError, knownHostsName, sshConnect, type ConnectionSpec } from '@shipshape/core';
import { startLab, type Lab } from '@shipshape/testlab';

let lab: Lab;
const dir = mkdtempSync(join(tmpdir(), 'ss-kh-parity-'));
const keygen = (...args: string[]) => {
  const r = spawnSync('ssh-keygen', ['-q', ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ssh-keygen ${args.join(' ')}: ${r.stderr}`);
};
const pubOf = (file: string) => readFileSync(file, 'utf8').trim().split(' ').slice(0, 2).join(' ');

beforeAll(async () => {
  lab = await startLab({ id: 137, hosts: [{ name: 'plain' }, { name: 'certified' }] });
  keygen('-t', 'ed25519', '-N', '', '-f', join(dir, 'other'));
  keygen('-t', 'rsa', '-b', '2048', '-N', '', '-f', join(dir, 'rsa'));
  keygen('-t', 'ed25519', '-N', '', '-f', join(dir, 'ca'));
  // `certified` presents a host certificate signed by the CA for its address.
  const etc = join(lab.dir, 'certified', 'etc');
  const address = lab.hosts[1]!.address;
  keygen('-s', join(dir, 'ca'), '-I', 'certified', '-h', '-n', address, join(etc, 'ssh_host_ed25519_key.pub'));
  appendFileSync(join(etc, 'sshd_config'), 'HostCertificate /run/lab/etc/ssh_host_ed25519_key-cert.pub\n');
  await lab.rebootHost('certified');
});
afterAll(async () => {
  await lab?.stop();
});

type Policy = 'yes' | 'accept-new' | 'no';
type Outcome = { connected: boolean; why: 'ok' | 'new' | 'changed' | 'revoked'; file: string };

function viaOpenSsh(host: string, known: string, policy: Policy): Outcome {
  const h = lab.hosts.find((x) => x.name === host)!;
  const r = spawnSync('ssh', ['-F', 'none', '-o', 'BatchMode=yes', '-o', `UserKnownHostsFile=${known}`, '-o', 'GlobalKnownHostsFile=/dev/null',
    '-o', `StrictHostKeyChecking=${policy}`, '-o', 'IdentitiesOnly=yes', '-i', lab.keyPath, '-p', String(h.port), `root@${h.address}`, 'true'], { encoding: 'utf8' });
  const err = r.stderr;
  const why = /REVOKED HOST KEY/.test(err) ? 'revoked' : /HOST IDENTIFICATION HAS CHANGED/.test(err) ? 'changed' : /No \S+ host key is known|Permanently added/.test(err) ? 'new' : 'ok';
  return { connected: r.status === 0, why, file: readFileSync(known, 'utf8') };
}

async function viaShipshape(host: string, known: string, policy: Policy): Promise<Outcome> {
  const spec: ConnectionSpec = {
    ...lab.hostSpec(host).connection, knownHostsFile: known, globalKnownHostsFile: '/dev/null',
    hostKeyPolicy: policy === 'yes' ? 'strict' : policy === 'no' ? 'off' : 'accept-new', agent: false,
  };
  const before = readFileSync(known, 'utf8');
  try {
    const conn = await sshConnect(host, spec);
    const warned = conn.warnings.join('\n');
    await conn.close();
    const why = /REVOKED/.test(warned) ? 'revoked' : /HAS CHANGED/.test(warned) ? 'changed' : readFileSync(known, 'utf8') !== before ? 'new' : 'ok';
    return { connected: true, why, file: readFileSync(known, 'utf8') };
  } catch (e) {
    if (!(e instanceof ConnectError) || e.reason !== 'hostkey') throw e;
    const why = /REVOKED/.test(e.message) ? 'revoked' : /HAS CHANGED/.test(e.message) ? 'changed' : 'new';
    return { connected: false, why, file: readFileSync(known, 'utf8') };
  }
}

function hashed(name: string): string {
  const salt = randomBytes(20);
  return `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(name).digest('base64')}`;
}

describe('known_hosts verdicts agree with OpenSSH ssh', () => {
  // Placeholders: NAME (the host's known_hosts name), ADDR, KEY (its key), OTHER, RSA, CA (public keys).
  const cases: [string, string[], Policy?][] = [
    ['exact name', ['NAME KEY']],
    ['comma list, comment, leading blanks', ['  other.example,NAME KEY a comment']],
    ['* wildcard', ['NAMESTAR KEY']],
    ['? wildcard', ['NAMEQ KEY']],
    ['* alone', ['* KEY']],
    ['negated name after a wildcard', ['NAMESTAR,!NAME KEY']],
    ['negated name before a wildcard', ['!NAME,NAMESTAR KEY']],
    ['negation of another host', ['NAMESTAR,!10.9.9.9 KEY']],
    ['only a negation', ['!10.9.9.9 KEY']],
    ['hashed name', ['HASHED KEY']],
    ['hashed name of another host', ['HASHOTHER KEY']],
    ['malformed hash', ['|1|bm90c2FsdA==|xxx KEY']],
    ['wrong port form', ['WRONGPORT KEY']],
    ['another key', ['NAME OTHER']],
    ['a key of another type', ['NAME RSA']],
    ['another key, then the right one', ['NAME OTHER', 'NAME KEY']],
    ['@revoked exact', ['@revoked NAME KEY', 'NAME KEY']],
    ['@revoked wildcard after the plain line', ['NAME KEY', '@revoked * KEY']],
    ['@revoked another key', ['@revoked * OTHER', 'NAME KEY']],
    ['@cert-authority line holding the host key itself', ['@cert-authority * KEY']],
    ['unknown marker', ['@trusted NAME KEY']],
    ['type name that does not match the key', ['NAME ssh-rsa KEYBLOB']],
    ['empty file', []],
    ['accept-new: unknown host is added', [], 'accept-new'],
    ['accept-new: another key is refused', ['NAME OTHER'], 'accept-new'],
    ['accept-new: revoked is refused', ['@revoked NAMESTAR KEY'], 'accept-new'],
    ['no: unknown host is added', ['# nothing here'], 'no'],
    ['no: another key connects with a warning', ['NAME OTHER'], 'no'],
    ['no: revoked key connects with a warning', ['@revoked * KEY', 'NAME KEY'], 'no'],
  ];

  it.each(cases)('%s', async (_label, lines, policy = 'yes') => {
    const h = lab.hosts[0]!;
    const name = knownHostsName(h.address, h.port);
    const key = readFileSync(join(lab.dir, 'plain', 'etc', 'ssh_host_ed25519_key.pub'), 'utf8').trim().split(' ').slice(0, 2).join(' ');
    const subst: Record<string, string> = {
      NAMESTAR: name.replace(/\d+(\]?(:\d+)?)$/, '*$1'), NAMEQ: name.replace(/\d(\]?(:\d+)?)$/, '?$1'),
      WRONGPORT: h.port === 22 ? `[${h.address}]:22` : h.address, HASHED: hashed(name), HASHOTHER: hashed('10.9.9.9'),
      KEYBLOB: key.split(' ')[1]!, NAME: name, KEY: key, OTHER: pubOf(join(dir, 'other.pub')), RSA: pubOf(join(dir, 'rsa.pub')),
    };
    const text = lines.map((l) => l.replace(/NAMESTAR|NAMEQ|WRONGPORT|HASHED|HASHOTHER|KEYBLOB|NAME|KEY|OTHER|RSA/g, (m) => subst[m]!)).join('\n') + (lines.length ? '\n' : '');
    const [a, b] = [join(dir, `${_label.replace(/\W+/g, '_')}.ssh`), join(dir, `${_label.replace(/\W+/g, '_')}.ss`)];
    writeFileSync(a, text);
    writeFileSync(b, text);
    const ssh = viaOpenSsh('plain', a, policy);
    const ours = await viaShipshape('plain', b, policy);
    expect(ours).toEqual(ssh);
  });

  it('host certificates: ssh accepts the CA-signed certificate; shipshape (ssh2 offers no certificate algorithms) refuses and says why', async () => {
    const h = lab.hosts[1]!;
    const caLine = `@cert-authority ${h.address.replace(/\d+$/, '*')} ${pubOf(join(dir, 'ca.pub'))}\n`;
    const [a, b] = [join(dir, 'cert.ssh'), join(dir, 'cert.ss')];
    writeFileSync(a, caLine);
    writeFileSync(b, caLine);
    expect(viaOpenSsh('certified', a, 'yes')).toEqual({ connected: true, why: 'ok', file: caLine });
    const spec: ConnectionSpec = { ...lab.hostSpec('certified').connection, knownHostsFile: b, globalKnownHostsFile: '/dev/null' };
    const err = await sshConnect('certified', spec).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectError);
    expect((err as ConnectError).message).toMatch(/@cert-authority line \(.*cert\.ss:1\) is not used: host certificates are not supported/);
    // With the host's own key listed as well, both connect (ssh through the certificate, shipshape through the key).
    const both = `${caLine}${knownHostsName(h.address, h.port)} ${pubOf(join(lab.dir, 'certified', 'etc', 'ssh_host_ed25519_key.pub'))}\n`;
    writeFileSync(a, both);
    writeFileSync(b, both);
    expect(viaOpenSsh('certified', a, 'yes').connected).toBe(true);
    expect((await viaShipshape('certified', b, 'yes')).connected).toBe(true);
  });
});
