/**
 * Facts against Ansible: real `ansible -m setup` on the Debian lab host is the reference. On that
 * host every fact both tools report must have Ansible's value; the busybox and ESXi lab hosts share
 * the machine's kernel, processors, memory and network, so those facts must equal Ansible's Debian
 * values too. Deliberate differences, excluded or compared loosely below:
 * - values that change between two gatherings (free memory and blocks, the clock, uptime, load, SSH ports);
 * - `interfaces` is sorted (Ansible lists /sys/class/net in directory order);
 * - `env`: Ansible's session has a pty (SSH_TTY, TERM), a different `_`, and the LANG/LC_* the
 *   OpenSSH client sends (SendEnv); shipshape reads its own login shell's environment.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { playbook, run, task, type Vars } from '@shipshape/core';
import { startLab, type Lab } from '@shipshape/testlab';

const BIN = join(process.cwd(), 'packages/cli/dist/bundle/bin.js');
let lab: Lab;
let ansible: Vars;
let ours: Record<string, Vars>;

/** Facts files on a host: JSON, INI, an executable, a failing executable, garbage, a name with a newline. */
const FACT_FILES = String.raw`mkdir -p /etc/ansible/facts.d && cd /etc/ansible/facts.d &&
printf '{"version": "1.2", "ports": [80, 443], "nested": {"on": true}}\n' > app.fact &&
printf '[db]\nHost = db1\nport: 5432\n\n[DEFAULT]\nenv = prod\n' > ini.fact &&
printf '#!/bin/sh\necho "{\\"generated\\": \\"yes\\"}"\n' > run.fact && chmod 755 run.fact &&
printf '#!/bin/sh\necho oops >&2\nexit 3\n' > fail.fact && chmod 755 fail.fact &&
printf 'this is [not json or ini\n' > bad.fact &&
printf '{"odd": "name"}' > 'new
line.fact'`;

function stripPrefix(facts: Vars): Vars {
  return Object.fromEntries(Object.entries(facts).map(([k, v]) => [k.replace(/^ansible_/, ''), v]));
}

beforeAll(async () => {
  lab = await startLab({ id: 164, hosts: [{ name: 'deb', profile: 'debian' }, { name: 'bb', profile: 'busybox' }, { name: 'esx', profile: 'esxi' }] });
  for (const h of ['deb', 'bb']) expect((await lab.exec(h, FACT_FILES)).code).toBe(0);
  // An explicit interpreter: no discovered_interpreter_python in the result.
  const a = spawnSync('ansible', ['deb', '-i', lab.inventoryPath, '-m', 'setup', '-e', 'ansible_python_interpreter=/usr/bin/python3'], { encoding: 'utf8', env: { ...process.env, ANSIBLE_NOCOLOR: '1' } });
  expect(a.status).toBe(0);
  ansible = stripPrefix((JSON.parse(a.stdout.slice(a.stdout.indexOf('{'))) as { ansible_facts: Vars }).ansible_facts);
  const s = spawnSync('node', [BIN, 'facts', 'all', '-i', lab.inventoryPath, '--json'], { encoding: 'utf8' });
  expect(s.status).toBe(0);
  ours = Object.fromEntries(Object.entries(JSON.parse(s.stdout) as Record<string, { ansible_facts: Vars }>).map(([h, r]) => [h, stripPrefix(r.ansible_facts)]));
});
afterAll(async () => {
  await lab?.stop();
});

/** A fact made comparable: what changes between two gatherings dropped, orderless lists sorted. */
function stable(name: string, v: unknown): unknown {
  const pick = (o: unknown, keys: string[]) => Object.fromEntries(keys.map((k) => [k, (o as Vars)[k]]));
  switch (name) {
    case 'date_time': return { keys: Object.keys(v as Vars).sort(), ...pick(v, ['tz', 'tz_dst', 'tz_offset']) };
    case 'memory_mb': return { total: (v as { real: Vars }).real.total, swap: (v as { swap: Vars }).swap.total };
    case 'memfree_mb': case 'swapfree_mb': case 'uptime_seconds': return typeof v;
    case 'loadavg': return Object.keys(v as Vars).sort();
    case 'mounts': return (v as Vars[]).map((m) => pick(m, ['mount', 'device', 'fstype', 'options', 'uuid', 'size_total', 'block_size', 'block_total', 'inode_total']));
    case 'interfaces': return [...(v as string[])].sort();
    case 'env': {
      const env = { ...(v as Record<string, string>) };
      for (const k of Object.keys(env)) if (/^(SSH_TTY|TERM|_|SSH_CLIENT|SSH_CONNECTION|LANG|LC_\w+)$/.test(k)) delete env[k];
      return env;
    }
    default: return v;
  }
}

/** JSON with sorted keys: equal values, equal text. */
function canon(v: unknown): string {
  const sort = (x: unknown): unknown => (Array.isArray(x) ? x.map(sort) : x && typeof x === 'object'
    ? Object.fromEntries(Object.keys(x).sort().map((k) => [k, sort((x as Vars)[k])])) : x);
  return JSON.stringify(sort(v));
}

/** The facts of the machine itself, the same on every lab host (shared kernel, CPUs, memory, network). */
const MACHINE = [
  'architecture', 'machine', 'kernel', 'kernel_version', 'system', 'memtotal_mb', 'swaptotal_mb', 'memory_mb', 'processor', 'processor_count',
  'processor_cores', 'processor_threads_per_core', 'processor_vcpus', 'processor_nproc', 'interfaces', 'all_ipv4_addresses',
  'all_ipv6_addresses', 'default_ipv4', 'default_ipv6', 'user_id', 'user_uid', 'user_gid', 'real_user_id', 'effective_user_id',
  'real_group_id', 'effective_group_id', 'date_time',
];

describe('facts against ansible -m setup on the Debian lab host', () => {
  it('every fact both report has Ansible\'s value on the Debian host', () => {
    const common = Object.keys(ansible).filter((k) => k in ours.deb!);
    expect(common.length).toBeGreaterThanOrEqual(60);
    const diff = common.filter((k) => canon(stable(k, ours.deb![k])) !== canon(stable(k, ansible[k])));
    expect(diff.map((k) => ({ [k]: { ours: stable(k, ours.deb![k]), ansible: stable(k, ansible[k]) } }))).toEqual([]);
    for (const k of ['distribution', 'distribution_version', 'os_family', 'pkg_mgr', 'service_mgr', 'default_ipv4', 'mounts', 'fqdn', 'dns', 'local', 'ssh_host_key_ed25519_public', 'lsb', 'virtualization_type']) {
      expect(common).toContain(k);
    }
  });

  it('local facts (JSON, INI, executables, broken ones, a name with a newline) are Ansible\'s', () => {
    expect(ours.deb!.local).toEqual(ansible.local);
    expect(Object.keys(ours.deb!.local as Vars).sort()).toEqual(['app', 'bad', 'fail', 'ini', 'new\nline', 'run']);
    expect(ours.bb!.local).toEqual(ansible.local);
  });

  it.each(['bb', 'esx'])('%s: the machine-wide facts equal Ansible\'s Debian values', (host) => {
    const names = [...MACHINE, ...(ansible.interfaces as string[])];
    const diff = names.filter((k) => canon(stable(k, ours[host]![k])) !== canon(stable(k, ansible[k])));
    expect(diff.map((k) => ({ [k]: { ours: stable(k, ours[host]![k]), ansible: stable(k, ansible[k]) } }))).toEqual([]);
  });

  it('busybox and ESXi hosts get their own platform facts', () => {
    expect(ours.bb).toMatchObject({ hostname: 'bb', distribution: 'OtherLinux', os_family: 'OtherLinux', pkg_mgr: 'unknown', service_mgr: 'service' });
    expect(ours.esx).toMatchObject({
      hostname: 'esx', distribution: 'VMkernel', os_family: 'VMkernel', distribution_version: '8.0.1', distribution_major_version: '8',
      virtualization_type: 'VMware', virtualization_role: 'host',
    });
  });

  it('a play with gatherFacts sees the same facts, as ansible_* vars and in ansible_facts', async () => {
    const seen: Record<string, Vars> = {};
    const s = await run(playbook({ name: 'gather', hosts: 'all', gatherFacts: true, tasks: [task('capture', async (h, c) => { seen[h.name] = c.vars; })] }), { inventory: lab.inventory });
    expect(s.ok).toBe(true);
    for (const host of ['deb', 'bb', 'esx']) {
      const facts = seen[host]!.ansible_facts as Vars;
      expect(Object.keys(facts).sort()).toEqual(Object.keys(ours[host]!).sort());
      for (const k of Object.keys(facts)) expect({ [k]: stable(k, facts[k]) }).toEqual({ [k]: stable(k, ours[host]![k]) });
      expect(seen[host]!.ansible_distribution).toBe(ours[host]!.distribution);
      expect(seen[host]!.ansible_default_ipv4).toEqual(ours[host]!.default_ipv4);
    }
  });
});
