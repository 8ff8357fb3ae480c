import { describe, expect, it } from '@jest/globals';
import { parseNodeContainers } from './node.js';

const r = (stdout: string, code = 0, stderr = '') => ({ stdout, stderr, code, signal: null }) as never;

describe('parseNodeContainers', () => {
  it('a Proxmox VE node: pct list (VMID Status Lock Name), a lock read from its column', () => {
    const out = '@@shipshape-ct-tool@@ pct\nVMID       Status     Lock         Name                \n101        running                 ct101               \n102        stopped    backup       ct102               \n';
    expect(parseNodeContainers(r(out))).toEqual({
      tool: 'pct',
      containers: [{ ctid: 101, status: 'running', ips: [], hostname: 'ct101' }, { ctid: 102, status: 'stopped', ips: [], hostname: 'ct102', lock: 'backup' }],
    });
    expect(parseNodeContainers(r('@@shipshape-ct-tool@@ pct\n'))).toEqual({ tool: 'pct', containers: [] });
  });
  it('an OpenVZ node: vzlist, "Container(s) not found" is no error', () => {
    expect(parseNodeContainers(r('@@shipshape-ct-tool@@ vzctl\n       101 running ct101 debian-12 10.0.0.1\n'))).toEqual({
      tool: 'vzctl',
      containers: [{ ctid: 101, status: 'running', hostname: 'ct101', ostemplate: 'debian-12', ips: ['10.0.0.1'] }],
    });
    expect(parseNodeContainers(r('@@shipshape-ct-tool@@ vzctl\n', 1, 'Container(s) not found\n')).containers).toEqual([]);
  });
  it('failures name the tool and what it printed', () => {
    expect(() => parseNodeContainers(r('@@shipshape-ct-tool@@ pct\n', 255, 'ipcc_send_rec[1] failed: Connection refused\n'))).toThrow('pct list failed (exit 255): ipcc_send_rec[1] failed: Connection refused');
    expect(() => parseNodeContainers(r('', 127, 'sh: 1: syntax error\n'))).toThrow("listing the node's containers failed (exit 127): sh: 1: syntax error");
  });
});
