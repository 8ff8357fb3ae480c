/**
 * The setup parsers over real output of the setup command, captured once from the lab's Debian,
 * busybox and ESXi hosts (internal/setup/fixtures/*.out), and over hostile or unusual host text.
 */
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { ansibleFactsView, parseSetupOutput } from './setup-facts.js';
import { parseIni } from './internal/setup/local.js';
import { mountFacts } from './internal/setup/hardware.js';
import { Sections, splitSections } from './internal/setup/sections.js';
import { fqdnFacts } from './internal/setup/network.js';

const fixture = (name: string) => parseSetupOutput(readFileSync(new URL(`./internal/setup/fixtures/${name}.out`, import.meta.url), 'utf8'));

describe('parseSetupOutput', () => {
  it('Debian: the platform facts Ansible reports there', () => {
    expect(fixture('debian')).toMatchObject({
      system: 'Linux', distribution: 'Debian', distribution_version: '12.11', distribution_major_version: '12', distribution_release: 'bookworm',
      os_family: 'Debian', pkg_mgr: 'apt', service_mgr: 'systemd', hostname: 'debian1', fqdn: 'debian1', domain: '',
      virtualization_type: 'docker', virtualization_role: 'guest', lsb: { id: 'Debian', codename: 'bookworm', major_release: '12' },
      default_ipv4: { interface: 'eth0', address: '192.0.2.2', gateway: '192.0.2.1', netmask: '255.255.255.0', network: '192.0.2.0', prefix: '24', alias: 'eth0' },
      interfaces: ['eth0', 'ifb0', 'ifb1', 'lo'], all_ipv4_addresses: ['192.0.2.2'], processor_vcpus: 2, user_id: 'root', user_uid: 0,
    });
  });

  it('busybox and ESXi: their own platform, the same machine', () => {
    const bb = fixture('busybox');
    const esx = fixture('esxi');
    expect(bb).toMatchObject({ distribution: 'OtherLinux', distribution_version: 'NA', pkg_mgr: 'unknown', service_mgr: 'service', user_shell: '/bin/sh' });
    expect(esx).toMatchObject({ distribution: 'VMkernel', distribution_version: '8.0.1', os_family: 'VMkernel', virtualization_type: 'VMware', virtualization_role: 'host' });
    for (const k of ['memtotal_mb', 'default_ipv4', 'interfaces', 'processor', 'kernel']) expect(esx[k]).toEqual(bb[k]);
  });

  it('host text that looks like a section does not make one: the boundary is fresh per call', () => {
    // debian.out holds a facts.d file named "x\n'BOUNDARY0 uname'.fact" and a fact file with a fake section inside.
    const f = fixture('debian');
    expect(f.local).toEqual({
      trick: 'error loading facts as JSON or ini - please check content: /etc/ansible/facts.d/trick.fact',
      "x\n'BOUNDARY0 uname'": { a: 1 },
    });
    expect(f.kernel).toBe('6.18.44-fc-v1147');
    expect(f.fqdn).toBe('debian1');
  });

  it('output without its boundary line yields no sections (never a guess)', () => {
    expect(splitSections('garbage\nmore')).toEqual([]);
    expect(splitSections('')).toEqual([]);
  });
});

describe('fact parsers', () => {
  it('INI local facts as configparser reads them: keys lowercased, DEFAULT inherited, bad lines refused', () => {
    expect(parseIni('[db]\nHost = db1\nport: 5432\n  continued\n\n[DEFAULT]\nenv = prod\n')).toEqual({ db: { host: 'db1', port: '5432\ncontinued', env: 'prod' } });
    expect(parseIni('key=outside a section\n')).toBeUndefined();
    expect(parseIni('[a]\nno delimiter\n')).toBeUndefined();
  });

  it('mounts: octal escapes decoded, pseudo filesystems left out, bind mounts marked', () => {
    const B = 'a1b2c3d4e5f6';
    const out = [B, `${B} mtab`, '/dev/sda1 /mnt/my\\040disk ext4 rw,relatime 0 0', 'proc /proc proc rw 0 0', '/dev/sda1 /srv ext4 rw 0 0',
      `${B} mountinfo`, '30 1 8:1 /data /srv rw - ext4 /dev/sda1 rw', `${B} statfs`, '/mnt/my\\040disk 4096 4096 100 40 30 64 60', ''].join('\n');
    const { mounts } = mountFacts(new Sections(splitSections(out))) as { mounts: Record<string, unknown>[] };
    expect(mounts).toEqual([
      { mount: '/mnt/my disk', device: '/dev/sda1', fstype: 'ext4', options: 'rw,relatime', uuid: 'N/A', size_total: 409600, size_available: 122880,
        block_size: 4096, block_total: 100, block_available: 30, block_used: 70, inode_total: 64, inode_available: 60, inode_used: 4 },
      { mount: '/srv', device: '/dev/sda1', fstype: 'ext4', options: 'rw,bind', uuid: 'N/A' },
    ]);
  });

  it('fqdn as socket.getfqdn finds it in /etc/hosts: the first dotted name of the address\'s first line', () => {
    expect(fqdnFacts('127.0.1.1 web1 web1.example.com\n', '', 'web1')).toEqual({ fqdn: 'web1.example.com', domain: 'example.com' });
    expect(fqdnFacts('# comment web1\n10.0.0.5 other\n', 'web1.corp.lan\n', 'web1')).toEqual({ fqdn: 'web1.corp.lan', domain: 'corp.lan' });
    expect(fqdnFacts('', '', 'web1')).toEqual({ fqdn: 'web1', domain: '' });
  });

  it('the setup view prefixes ansible_ and filters by globs with or without the prefix', () => {
    const facts = { distribution: 'Debian', distribution_version: '12.11', hostname: 'h', local: {} };
    expect(ansibleFactsView(facts)).toEqual({ ansible_distribution: 'Debian', ansible_distribution_version: '12.11', ansible_hostname: 'h', ansible_local: {} });
    expect(ansibleFactsView(facts, ['ansible_distribution*', 'hostname'])).toEqual({ ansible_distribution: 'Debian', ansible_distribution_version: '12.11', ansible_hostname: 'h' });
    expect(ansibleFactsView(facts, ['[dh]*name'])).toEqual({ ansible_hostname: 'h' });
  });
});
