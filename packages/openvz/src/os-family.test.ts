import { describe, expect, it } from '@jest/globals';
import { parseOsInfo } from './os-family.js';

describe('OS family of a container', () => {
  it.each([
    ['==/etc/os-release\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\n==/etc/debian_version\n12.5\n',
      { family: 'debian', id: 'debian', source: '/etc/os-release', pretty: 'Debian GNU/Linux 12 (bookworm)' }],
    ['==/etc/os-release\nNAME="Rocky Linux"\nID="rocky"\nID_LIKE="rhel centos fedora"\nPRETTY_NAME="Rocky Linux 9.4 (Blue Onyx)"\n',
      { family: 'rhel', id: 'rocky', source: '/etc/os-release', pretty: 'Rocky Linux 9.4 (Blue Onyx)' }],
    ['==/etc/os-release\nID=linuxmint\nID_LIKE="ubuntu debian"\n', { family: 'debian', id: 'linuxmint', source: '/etc/os-release' }],
    ['==/etc/os-release\nID=opensuse-leap\nID_LIKE="suse opensuse"\n', { family: 'suse', id: 'opensuse-leap', source: '/etc/os-release' }],
    ['==/etc/redhat-release\nCentOS release 6.10 (Final)\n', { family: 'rhel', id: 'centos', source: '/etc/redhat-release', pretty: 'CentOS release 6.10 (Final)' }],
    ['==/etc/debian_version\n6.0.10\n', { family: 'debian', id: 'debian', source: '/etc/debian_version', pretty: '6.0.10' }],
    ['==/etc/os-release\nID=nixos\n', {}],
    ['', {}],
  ])('%j', (out, want) => {
    expect(parseOsInfo(out)).toEqual(want);
  });
});
