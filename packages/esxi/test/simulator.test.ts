// The ESXi lab profile itself, over real SSH: the simulated tools keep real state and a
// reboot loses what was not saved into /bootbank/state.tgz.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { playbook, run, sshConnect, sh as cmd, task, type Connection } from '@shipshape/core';
import { esxcliSystemFact, esxiReleaseFact, hostUuidFact, maintenanceMode, maintenanceModeFact } from '@shipshape/esxi';
import type { Lab } from '@shipshape/testlab';
import { startEsxiLab, sh, hostFile } from './lab.js';

let lab: Lab;
let conn: Connection;
const ssh = (text: string) => conn.exec(cmd`/bin/sh -c ${text}`);

beforeAll(async () => {
  lab = await startEsxiLab(10, ['esxsim']);
  conn = await sshConnect('esxsim', lab.hostSpec('esxsim').connection);
});
afterAll(async () => {
  await conn?.close();
  await lab?.stop();
});

describe('esxi lab profile', () => {
  it('is busybox-only: no bash, no python', async () => {
    const r = await ssh('command -v bash python3 python; readlink /bin/sh');
    expect(r.stdout.trim()).toMatch(/^(\/bin\/)?busybox$/);
  });

  it('prints versions as docs/platforms/esxi.md describes', async () => {
    expect((await ssh('vmware -v')).stdout).toBe('VMware ESXi 8.0.1 build-21495797\n');
    expect((await ssh('esxcli system version get')).stdout).toBe(
      '   Product: VMware ESXi\n   Version: 8.0.1\n   Build: Releasebuild-21495797\n   Update: 1\n   Patch: 0\n',
    );
  });

  it('auto-backup.sh saves only what differs, and a reboot drops unsaved edits', async () => {
    expect(await ssh('/sbin/auto-backup.sh')).toMatchObject({ code: 0, stdout: '' });
    await sh(lab, 'esxsim', 'echo "MaxSessions 7" >> /etc/ssh/sshd_config; echo scratch > /tmp/x');
    await lab.rebootHost('esxsim');
    conn = await sshConnect('esxsim', lab.hostSpec('esxsim').connection);
    expect(hostFile(lab, 'esxsim', 'etc/ssh/sshd_config')).not.toContain('MaxSessions 7');
    expect((await ssh('ls /tmp')).stdout).toBe('');

    await sh(lab, 'esxsim', 'echo "MaxSessions 7" >> /etc/ssh/sshd_config');
    const saved = await ssh('/sbin/auto-backup.sh');
    expect(saved.code).toBe(0);
    expect(saved.stdout).toMatch(/^--- \/etc\/ssh\/sshd_config\n\+\+\+ \/tmp\/auto-backup\.\d+\/\/etc\/ssh\/sshd_config\n/);
    expect(saved.stdout).toContain('\n-MaxSessions 7\n');
    expect(saved.stdout).toMatch(/\nSaving current state in \/bootbank\nClock updated\.\nTime: \d\d:\d\d:\d\d   Date: \d\d\/\d\d\/\d{4}   UTC\n$/);
    expect((await ssh('tar xzOf /bootbank/state.tgz local.tgz | tar tzf - | sort')).stdout).toContain('etc/ssh/sshd_config\n');
    await lab.rebootHost('esxsim');
    conn = await sshConnect('esxsim', lab.hostSpec('esxsim').connection);
    expect(hostFile(lab, 'esxsim', 'etc/ssh/sshd_config')).toContain('MaxSessions 7');
    expect(await ssh('/sbin/auto-backup.sh')).toMatchObject({ code: 0, stdout: '' });
  });

  it('maintenance mode: esxcli and vim-cmd agree and refuse the state they are in', async () => {
    expect((await ssh('esxcli system maintenanceMode get')).stdout).toBe('Disabled\n');
    expect(await ssh('esxcli system maintenanceMode set -e false')).toMatchObject({ code: 1, stderr: 'Maintenance mode is already disabled.\n' });
    expect(await ssh('vim-cmd hostsvc/maintenance_mode_enter')).toMatchObject({ code: 0, stdout: '' });
    expect((await ssh('vim-cmd hostsvc/hostsummary | grep inMaintenanceMode')).stdout).toBe('      inMaintenanceMode = true,\n');
    expect((await ssh('vim-cmd hostsvc/maintenance_mode_enter')).stderr).toContain('(vim.fault.InvalidState)');
    expect(await ssh('esxcli system maintenanceMode set --enable false')).toMatchObject({ code: 0, stdout: '' });
    expect((await ssh('vim-cmd /hostsvc/maintenance_mode_exit')).code).toBe(1);
  });

  it('backup_config prints the * URL of a real bundle under /scratch/downloads; restore_config checks its preconditions', async () => {
    const out = (await ssh('vim-cmd hostsvc/firmware/backup_config')).stdout;
    const m = /^Bundle can be downloaded at : http:\/\/\*\/downloads\/([0-9a-f-]{36})\/configBundle-esxsim\.tgz\n$/.exec(out);
    expect(m).not.toBeNull();
    const list = await ssh(`tar tzf /scratch/downloads/${m![1]}/configBundle-esxsim.tgz`);
    expect(list.stdout).toBe('Manifest.txt\nstate.tgz\n');
    expect((await ssh('vim-cmd hostsvc/firmware/restore_config /tmp/configBundle.tgz')).stderr).toContain('(vim.fault.InvalidState)');
    await ssh('vim-cmd hostsvc/maintenance_mode_enter');
    expect(await ssh(`cp /scratch/downloads/${m![1]}/configBundle-esxsim.tgz /tmp/other.tgz; vim-cmd hostsvc/firmware/restore_config /tmp/other.tgz`))
      .toMatchObject({ code: 1, stderr: 'File /tmp/configBundle.tgz was not found\n' });
    await ssh("mv /tmp/other.tgz /tmp/configBundle.tgz; sed -i 's/^build=.*/build=22380479/' /usr/lib/vmware/lab/release");
    const mismatch = await ssh('vim-cmd hostsvc/firmware/restore_config /tmp/configBundle.tgz');
    expect(mismatch.code).toBe(1);
    expect(mismatch.stderr).toContain('(vim.fault.MismatchedBundle)');
    await ssh("sed -i 's/^build=.*/build=21495797/' /usr/lib/vmware/lab/release; vim-cmd hostsvc/maintenance_mode_exit");
  });
});

describe('an ESXi 4.1 host: no esxcli system', () => {
  it('facts fall back to vmware -v and vim-cmd, maintenanceMode goes through vim-cmd, each twice', async () => {
    await sh(lab, 'esxsim', '/bin/sh /usr/lib/vmware/lab/setup.sh release 4.1.0 260247 1');
    await lab.rebootHost('esxsim');
    conn = await sshConnect('esxsim', lab.hostSpec('esxsim').connection);
    expect(await ssh('esxcli system version get')).toMatchObject({ code: 1, stderr: 'Error: Unknown command or namespace system\n' });
    expect((await ssh('vmware -v')).stdout).toBe('VMware ESXi 4.1.0 build-260247\n');
    const uuid = (await ssh("sed -n 's|^/system/uuid = \"\\(.*\\)\"$|\\1|p' /etc/vmware/esx.conf")).stdout.trim();
    const facts = task('facts', async (h) => ({
      changed: false,
      data: {
        release: { ...(await h.fact(esxiReleaseFact, undefined)) },
        esxcli: await h.fact(esxcliSystemFact, undefined),
        uuid: await h.fact(hostUuidFact, undefined),
        mm: await h.fact(maintenanceModeFact, undefined),
      },
    }));
    const r = await run(playbook({ name: 'facts', hosts: 'esxsim', tasks: [facts] }), { inventory: lab.inventory });
    expect(r.results[0]!.result.data).toEqual({
      release: { product: 'VMware ESXi', version: '4.1.0', build: '260247', update: '1' }, esxcli: false, uuid, mm: false,
    });
    const commands: string[] = [];
    for (const enabled of [true, true, false, false]) {
      const pb = playbook({ name: 'mm', hosts: 'esxsim', tasks: [maintenanceMode({ enabled, timeoutSeconds: 30 })] });
      const m = await run(pb, { inventory: lab.inventory, onEvent: (e) => void (e.type === 'command' && /maintenance_mode|maintenanceMode set/.test(e.command) && commands.push(e.command)) });
      expect(m.ok).toBe(true);
      expect((await ssh('vim-cmd hostsvc/hostsummary | grep inMaintenanceMode')).stdout).toBe(`      inMaintenanceMode = ${enabled},\n`);
    }
    expect(commands.map((c) => c.replace(/^.*vim-cmd /, ''))).toEqual(['hostsvc/maintenance_mode_enter', 'hostsvc/maintenance_mode_exit']);
  });
});
