// playbooks/proxmox-template-publish.ts end to end: the OpenVZ template rebuilt on an OpenVZ lab
// node, fetched to the controller, uploaded to two Proxmox lab nodes (verified by pveam list), a
// container created from it and started on each; the second run changes nothing.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run, type RunSummary } from '@shipshape/core';
import { startLab, type Lab } from '@shipshape/testlab';
import publish from '../../../playbooks/proxmox-template-publish.js';

const TO = 'debian-12-php_12.0-1_amd64.tar.gz';
let lab: Lab;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'shipshape-publish-'));
  lab = await startLab({ id: 46, hosts: [{ name: 'vz1', profile: 'openvz' }, { name: 'pve1', profile: 'proxmox' }, { name: 'pve2', profile: 'proxmox' }] });
}, 180_000);
afterAll(async () => {
  await lab?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const vars = () => ({ publish_dir: dir, ct_storage: 'vmdata', nameserver: '192.0.2.1' });
const changed = (s: RunSummary, host: string) => s.stats[host]?.changed ?? 0;
async function sh(host: string, text: string): Promise<string> {
  const r = await lab.exec(host, text);
  if (r.code !== 0) throw new Error(`${host}: ${text}: exit ${r.code}: ${r.stderr}`);
  return r.stdout;
}

describe('proxmox-template-publish playbook', () => {
  it('rebuilds, publishes to both nodes and starts a container from it on each; the second run changes nothing', async () => {
    const first = await run(publish, { inventory: lab.inventory, extraVars: vars() });
    expect(first.results.filter((r) => r.result.status === 'failed').map((r) => `${r.host}: ${r.result.msg}`)).toEqual([]);
    expect(first.ok).toBe(true);
    expect(changed(first, 'vz1')).toBe(2); // rebuilt, fetched
    const size = statSync(join(dir, TO)).size;
    for (const pve of ['pve1', 'pve2']) {
      expect(changed(first, pve)).toBe(2); // uploaded, container created and started
      const mine = first.results.filter((r) => r.host === pve).map((r) => r.result.msg);
      expect(mine).toEqual([
        `local:vztmpl/${TO} uploaded from ${dir}/${TO} (${Number((size / 1048576).toFixed(2))}MB)`,
        `CT 9990: created from local:vztmpl/${TO}, started`,
        'CT 9990 runs: Debian GNU/Linux 12 (bookworm)',
      ]);
      expect(await sh(pve, 'pveam list local')).toContain(`local:vztmpl/${TO}`);
      expect(await sh(pve, `stat -c %s /var/lib/vz/template/cache/${TO}; stat -c %a /var/lib/vz/template/cache/${TO}`)).toBe(`${size}\n644\n`);
      expect(await sh(pve, 'pct status 9990; pct config 9990 | grep -E "^(hostname|ostype|rootfs):"')).toBe(
        'status: running\nhostname: tmpl-test\nostype: debian\nrootfs: vmdata:9990/subvol-9990-disk-0.subvol,size=4G\n',
      );
      // The container is the rebuilt template: PHP's ini with the timezone the rebuild set.
      expect(await sh(pve, 'pct exec 9990 -- grep ^date.timezone /etc/php/8.2/cli/php.ini')).toBe('date.timezone = Europe/Berlin\n');
    }
    const second = await run(publish, { inventory: lab.inventory, extraVars: vars() });
    expect(second.ok).toBe(true);
    expect(Object.values(second.stats).reduce((n, s) => n + s.changed, 0)).toBe(0);
  });
});
