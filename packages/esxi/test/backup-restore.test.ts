// Config bundles end to end on 3 lab ESXi hosts (lab 12): esxi-backup-configs.ts backs up every
// host in one run (twice: the second stores nothing), restoreConfig brings one host back to an
// older bundle through maintenance mode and a reboot (reading maintenance mode again after it),
// and refuses a bundle of another build or another host before entering maintenance mode.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { playbook, run, task, type RunEvent } from '@shipshape/core';
import { backupConfig, inspectBundle, maintenanceMode, persistConfig, restoreConfig } from '@shipshape/esxi';
import backupPlaybook from '../../../playbooks/esxi-backup-configs.js';
import { changedTasks, expectAllOk, hostFile, runPlaybook, sh } from './lab.js';
import { tempDir, useLab } from '../../../test/support/lab.js';

const HOSTS = ['esx1', 'esx2', 'esx3'];
const NAS = 'nas';
const lab = useLab({ id: 12, hosts: [...HOSTS.map((name) => ({ name, profile: 'esxi' })), { name: NAS, profile: 'debian' }] });
const dest = tempDir('esxi-bundles-');
const bundles = (host?: string) => readdirSync(dest).filter((n) => n.startsWith(`configBundle-${host ?? ''}`)).sort();
const backup = () => runPlaybook(lab, backupPlaybook, { esxi_backup_dir: dest, esxi_backup_keep: 2 });

describe('esxi-backup-configs.ts', () => {
  it('stores one bundle per host in one run; the second run stores nothing', async () => {
    const first = await backup();
    expectAllOk(first);
    expect(changedTasks(first)).toHaveLength(3);
    for (const host of HOSTS) {
      const names = bundles(`${host}-`);
      expect(names).toHaveLength(1);
      expect(names[0]).toMatch(new RegExp(`^configBundle-${host}-\\d{8}T\\d{6}\\.\\d{3}Z\\.tgz$`));
      const info = inspectBundle(readFileSync(join(dest, names[0]!)), names[0]!);
      expect(info.manifest).toMatchObject({ hostname: host, build: '21495797' });
    }
    const second = await backup();
    expectAllOk(second);
    expect(changedTasks(second)).toEqual([]);
    expect(bundles()).toHaveLength(3);
  });

  it('stores a new generation only for the host whose configuration changed, keeping 2', async () => {
    for (const line of ['MaxSessions 3', 'MaxSessions 4']) {
      await sh(lab, 'esx2', `echo '${line}' >> /etc/ssh/sshd_config && /sbin/auto-backup.sh >/dev/null`);
      const r = await backup();
      expectAllOk(r);
      expect(changedTasks(r).map((t) => t.split(' ')[0])).toEqual(['esx2']);
    }
    expect(bundles('esx2-')).toHaveLength(2); // the first generation was pruned
    expect(bundles()).toHaveLength(4);
  });
});

describe('esxi-backup-configs.ts with a host down', () => {
  it('backs up the connected hosts and reports the other unreachable', async () => {
    await lab.stopHost('esx3');
    try {
      await sh(lab, 'esx1', "echo 'MaxSessions 6' >> /etc/ssh/sshd_config && /sbin/auto-backup.sh >/dev/null");
      const r = await backup();
      expect(r.unreachableHosts).toEqual(['esx3']);
      expect(r.failedHosts).toEqual([]);
      expect(changedTasks(r).map((t) => t.split(' ')[0])).toEqual(['esx1']);
      expect(r.results.filter((x) => x.host === 'esx2').map((x) => x.result.status)).toEqual(['ok']);
    } finally {
      await lab.startHost('esx3');
    }
  });
});

describe('backupConfig to a storage destination', () => {
  it('stores one bundle per host on an SFTP server, keeping 1 generation', async () => {
    const nas = lab.hosts.find((h) => h.name === NAS)!;
    const dest = { type: 'sftp' as const, host: nas.address, port: nas.port, user: 'root', privateKeyPath: lab.keyPath, knownHostsFile: lab.knownHostsPath, path: '/srv/esxi' };
    // Made beforehand: storage's mkdir of a directory that three uploads create at once can fail (reported).
    await sh(lab, NAS, 'mkdir -p /srv/esxi');
    const pb = playbook({ name: 'to nas', hosts: 'esxi', tasks: [backupConfig({ dest, keep: 1 })] });
    for (let i = 0; i < 2; i++) {
      const r = await runPlaybook(lab, pb);
      expectAllOk(r);
      expect(changedTasks(r)).toHaveLength(3); // a storage destination is not read back: every run stores
    }
    const stored = (await sh(lab, NAS, 'ls /srv/esxi')).split('\n').filter(Boolean);
    expect(stored.map((n) => n.replace(/-\d{8}T\d{6}\.\d{3}Z\.tgz$/, ''))).toEqual(HOSTS.map((h) => `configBundle-${h}`));
    const info = inspectBundle(readFileSync(join(nas.root, 'srv/esxi', stored[0]!)), stored[0]!);
    expect(info.manifest.hostname).toBe('esx1');
  });
});

describe('restoreConfig', () => {
  it('restores an older bundle: maintenance mode entered, reboot, reconnect, maintenance mode left', async () => {
    const older = join(dest, bundles('esx2-')[0]!); // holds MaxSessions 3, not 4
    await sh(lab, 'esx2', 'touch /tmp/before-restore');
    const commands: string[] = [];
    const onEvent = (e: RunEvent) => {
      if (e.type === 'command' && e.host === 'esx2') commands.push(e.command);
    };
    // The plain runner (as the CLI uses it): the task after the reboot runs on the re-opened connection.
    const after = task('after the reboot', async (h) => ({ changed: false, msg: (await h.$`esxcli system maintenanceMode get`).stdout.trim() }));
    const pb = playbook({ name: 'restore', hosts: 'esx2', tasks: [restoreConfig({ src: older, rebootTimeoutSeconds: 60 }), after] });
    const r = await run(pb, { inventory: lab.inventory, onEvent });
    expectAllOk(r);
    expect(changedTasks(r)).toHaveLength(1);
    expect(r.results.map((x) => [x.task, x.result.status])).toEqual([['esxi.restoreConfig', 'changed'], ['after the reboot', 'ok']]);
    expect(r.results[1]!.result.msg).toBe('Disabled');
    // The host booted out of maintenance mode: the module read that instead of leaving it again.
    expect(r.results[0]!.result.msg).toMatch(/host rebooted, maintenance mode entered; the host came back out of it$/);
    expect(commands.filter((c) => c.includes('maintenanceMode set --enable false'))).toEqual([]);
    // In this order (each after the previous one): enter, restore, see the new boot, read maintenance mode.
    const order = ['maintenanceMode set --enable true', 'restore_config /tmp/configBundle.tgz', 'hostsummary', 'maintenanceMode get'];
    let from = 0;
    for (const c of order) {
      const i = commands.findIndex((x, k) => k >= from && x.includes(c));
      expect([c, i >= 0]).toEqual([c, true]);
      from = i + 1;
    }
    // It really rebooted into the bundle's configuration, and left maintenance mode.
    expect(hostFile(lab, 'esx2', 'etc/ssh/sshd_config')).toContain('MaxSessions 3\n');
    expect(hostFile(lab, 'esx2', 'etc/ssh/sshd_config')).not.toContain('MaxSessions 4');
    expect((await lab.exec('esx2', 'ls /tmp/before-restore')).code).not.toBe(0);
    expect(await sh(lab, 'esx2', 'esxcli system maintenanceMode get')).toBe('Disabled\n');

    const again = await run(pb, { inventory: lab.inventory });
    expectAllOk(again);
    expect(changedTasks(again)).toEqual([]);
  });

  it('refuses a bundle of another build unless force', async () => {
    const bundle = join(dest, bundles('esx3-')[0]!);
    await sh(lab, 'esx3', "echo 'MaxSessions 9' >> /etc/ssh/sshd_config && /sbin/auto-backup.sh >/dev/null");
    await sh(lab, 'esx3', "sed -i 's/^build=.*/build=22380479/' /usr/lib/vmware/lab/release");
    const restore = (force: boolean) => run(
      playbook({ name: 'restore', hosts: 'esx3', tasks: [restoreConfig({ src: bundle, force, rebootTimeoutSeconds: 60 })] }),
      { inventory: lab.inventory },
    );
    const refused = await restore(false);
    expect(refused.failedHosts).toEqual(['esx3']);
    expect(refused.results[0]!.result.msg).toContain('was made by ESXi build 21495797, esx3 runs build 22380479: set force: true');
    expect(hostFile(lab, 'esx3', 'etc/ssh/sshd_config')).toContain('MaxSessions 9');
    expect(await sh(lab, 'esx3', 'esxcli system maintenanceMode get')).toBe('Disabled\n');

    const forced = await restore(true);
    expectAllOk(forced);
    expect(hostFile(lab, 'esx3', 'etc/ssh/sshd_config')).not.toContain('MaxSessions 9');
    expect(await sh(lab, 'esx3', 'esxcli system maintenanceMode get')).toBe('Disabled\n');
  });
});

describe('restoreConfig of another host\'s bundle', () => {
  it('is refused before maintenance mode, naming both host UUIDs', async () => {
    const foreign = join(dest, bundles('esx1-')[0]!); // same build, other host UUID
    const commands: string[] = [];
    const r = await run(
      playbook({ name: 'restore', hosts: 'esx2', tasks: [restoreConfig({ src: foreign, rebootTimeoutSeconds: 60 })] }),
      { inventory: lab.inventory, onEvent: (e) => void (e.type === 'command' && commands.push(e.command)) },
    );
    expect(r.failedHosts).toEqual(['esx2']);
    const uuid = (h: string) => sh(lab, h, 'esxcli system uuid get').then((u) => u.trim());
    expect(r.results[0]!.result.msg).toBe(
      `${foreign} was made on the host with UUID ${await uuid('esx1')}, esx2 has UUID ${await uuid('esx2')}: set force: true to restore it anyway`,
    );
    expect(commands.filter((c) => /maintenanceMode set|restore_config|configBundle/.test(c))).toEqual([]);
    expect(await sh(lab, 'esx2', 'esxcli system maintenanceMode get')).toBe('Disabled\n');
    expect(hostFile(lab, 'esx2', 'etc/ssh/sshd_config')).toContain('MaxSessions 3\n');
  });
});

describe('maintenanceMode', () => {
  it('enters and leaves idempotently', async () => {
    for (const enabled of [true, false]) {
      const pb = playbook({ name: 'mm', hosts: 'esx1', tasks: [maintenanceMode({ enabled })] });
      expect(changedTasks(await runPlaybook(lab, pb))).toHaveLength(1);
      expect(await sh(lab, 'esx1', 'esxcli system maintenanceMode get')).toBe(enabled ? 'Enabled\n' : 'Disabled\n');
      const again = await runPlaybook(lab, pb);
      expectAllOk(again);
      expect(changedTasks(again)).toEqual([]);
    }
  });
});

describe('encrypted configuration (ESXi 7.0 U2+ with a TPM)', () => {
  it('backup records the mode and stores the bundle; persistConfig checks the rewrite; restore onto another key fails before maintenance mode', async () => {
    for (const h of ['esx1', 'esx2']) await sh(lab, h, '/bin/sh /usr/lib/vmware/lab/setup.sh encryption');
    expect(await sh(lab, 'esx1', 'esxcli system settings encryption get')).toMatch(/^ {3}Mode: TPM\n/);
    expect(await sh(lab, 'esx1', 'tar tzf /bootbank/state.tgz | sort')).toBe('encryption.info\nlocal.tgz.ve\n');
    const key = async (h: string) => /^(\{[0-9A-F-]+\})/m.exec(await sh(lab, h, 'esxcli system settings encryption recovery list'))![1]!;

    const pb = playbook({ name: 'enc', hosts: 'esx1', tasks: [backupConfig({ dest })] });
    const b = await runPlaybook(lab, pb);
    expectAllOk(b);
    expect(changedTasks(b)[0]).toMatch(/ \(configuration encryption: TPM; configuration encrypted: its files were not compared\)$/);
    const bundle = join(dest, bundles('esx1-').at(-1)!);
    expect(inspectBundle(readFileSync(bundle), bundle)).toMatchObject({ encrypted: true, recoveryId: await key('esx1') });

    await sh(lab, 'esx1', "echo 'MaxSessions 11' >> /etc/ssh/sshd_config");
    const p = await runPlaybook(lab, playbook({ name: 'p', hosts: 'esx1', tasks: [persistConfig()] }));
    expectAllOk(p);
    expect(changedTasks(p)[0]).toContain('(configuration encrypted (local.tgz.ve): checked that state.tgz was rewritten, not its contents)');

    const commands: string[] = [];
    const r = await run(
      playbook({ name: 'restore', hosts: 'esx2', tasks: [restoreConfig({ src: bundle, force: true, rebootTimeoutSeconds: 60 })] }),
      { inventory: lab.inventory, onEvent: (e) => void (e.type === 'command' && /maintenanceMode set|restore_config/.test(e.command) && commands.push(e.command)) },
    );
    expect(r.failedHosts).toEqual(['esx2']);
    expect(r.results[0]!.result.msg).toBe(
      `${bundle}: its configuration is encrypted with recovery key ${await key('esx1')}, esx2 has ${await key('esx2')}: ` +
        'restoring it would leave esx2 unable to decrypt its configuration at boot. Recover the key first: list it on the host that made the bundle ' +
        '(esxcli system settings encryption recovery list), boot this host with encryptionRecoveryKey=<that key> (Shift+O at boot), ' +
        'then run /sbin/auto-backup.sh; or restore a bundle made on this host',
    );
    expect(commands).toEqual([]);
    expect(await sh(lab, 'esx2', 'esxcli system maintenanceMode get')).toBe('Disabled\n');
  });
});
