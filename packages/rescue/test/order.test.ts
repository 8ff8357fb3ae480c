// playbooks/rescue-shutdown.ts and rescue-startup.ts through the CLI over two lab ESXi hosts (lab
// 182), each run twice (the second changes nothing): the order of the stages is read back from the
// hosts' own logs (hostd.log's VM state transitions), and each stage began only after the previous
// one was off (shutdown) or on (startup) on every host.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startLab, type Lab } from '@shipshape/testlab';

const BIN = join(process.cwd(), 'packages/cli/dist/bundle/bin.js');
const STATE = join(process.cwd(), 'playbooks/rescue/state');
let lab: Lab;

function play(name: string): { code: number | null; changed: number; out: string } {
  const r = spawnSync('node', [BIN, 'run', `playbooks/${name}.ts`, '-i', lab.inventoryPath, '--json'], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  const doc = r.status === 0 ? (JSON.parse(r.stdout) as { stats: Record<string, { changed: number }> }) : undefined;
  return { code: r.status, changed: doc ? Object.values(doc.stats).reduce((n, s) => n + s.changed, 0) : -1, out: `${r.stdout}${r.stderr}` };
}

/** hostd.log lines of both hosts in time order: `<vm> <from>-><to>` (the VM's directory names it). */
function transitions(): string[] {
  const lines = lab.hosts.flatMap((h) => {
    const f = join(h.root, 'var/log/hostd.log');
    return existsSync(f) ? readFileSync(f, 'utf8').split('\n').filter(Boolean) : [];
  });
  return lines
    .map((l) => /^(\S+) info hostd\[\d+\] \[Originator@6876 sub=Vmsvc\.vm:\/vmfs\/volumes\/shared\/([^/]+)\/[^\]]+\] State Transition \(VM_STATE_(\w+) -> VM_STATE_(\w+)\)$/.exec(l)!)
    .sort((a, b) => a[1]!.localeCompare(b[1]!))
    .map((m) => `${m[2]} ${m[3]}->${m[4]}`);
}

beforeAll(async () => {
  rmSync(STATE, { recursive: true, force: true });
  lab = await startLab({ id: 182, hosts: [{ name: 'esx1', profile: 'esxi' }, { name: 'esx2', profile: 'esxi' }] });
});
afterAll(async () => {
  await lab?.stop();
  rmSync(STATE, { recursive: true, force: true });
});

describe('a bad policy', () => {
  it('is an error naming the file, the field and the value, exit 1, before any host is touched', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rescue-policy-'));
    try {
      writeFileSync(join(dir, 'p.ts'), "export default { hosts: 'esxi', stateDir: 's', vms: { m: { vmx: '/vmfs/volumes/shared/m/m.vmx' } }, probe: { missesBeforeFailure: 1 } };\n");
      const r = spawnSync('node', [BIN, 'rescue', 'watch', join(dir, 'p.ts'), '-i', lab.inventoryPath], { encoding: 'utf8' });
      expect([r.status, r.stderr.trim()]).toEqual([1, `ERROR! ${join(dir, 'p.ts')}: field "probe.missesBeforeFailure" has bad value 1: Number must be greater than or equal to 2`]);
      expect(existsSync(join(dir, 's'))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('ordered startup and shutdown', () => {
  it('shutdown with nothing running (the demo\'s first run): only the pause is set, and only once', () => {
    const first = play('rescue-shutdown');
    expect([first.code, first.changed > 0]).toEqual([0, true]);
    expect(existsSync(join(STATE, 'paused'))).toBe(true);
    expect(play('rescue-shutdown')).toMatchObject({ code: 0, changed: 0 });
    expect(transitions()).toEqual([]);
  });

  it('startup: the managed machines, then the management VM, then the watcher\'s VM (apart from it), each once', () => {
    const first = play('rescue-startup');
    expect([first.code, first.changed > 0]).toEqual([0, true]);
    expect(transitions()).toEqual(['web1 OFF->ON', 'vcenter OFF->ON', 'rescue OFF->ON']);
    const locks = ['web1', 'vcenter', 'rescue'].map((vm) => readFileSync(join(lab.hosts[0]!.root, `vmfs/volumes/shared/${vm}/.lab-lock`), 'utf8').trim());
    expect(locks).toEqual(['esx1', 'esx2', 'esx1']); // least loaded first, then away from vcenter
    const again = play('rescue-startup');
    expect([again.code, again.changed]).toEqual([0, 0]);
  });

  it('shutdown: the watcher paused and its VM off first, then the management VM, then the managed machines, each stage after the previous is off', () => {
    const first = play('rescue-shutdown');
    expect([first.code, first.changed > 0]).toEqual([0, true]);
    expect(existsSync(join(STATE, 'paused'))).toBe(true);
    expect(transitions().slice(3)).toEqual([
      'rescue ON->SHUTTING_DOWN', 'rescue SHUTTING_DOWN->OFF', 'vcenter ON->SHUTTING_DOWN', 'vcenter SHUTTING_DOWN->OFF',
      'web1 ON->SHUTTING_DOWN', 'web1 SHUTTING_DOWN->OFF',
    ]);
    const again = play('rescue-shutdown');
    expect([again.code, again.changed]).toEqual([0, 0]);
  });

  it('startup again: the same order on the hosts they are registered on, and the watcher\'s pause lifted last', () => {
    expect(play('rescue-startup')).toMatchObject({ code: 0 });
    expect(transitions().slice(9)).toEqual(['web1 OFF->ON', 'vcenter OFF->ON', 'rescue OFF->ON']);
    expect(existsSync(join(STATE, 'paused'))).toBe(false);
    expect(play('rescue-startup')).toMatchObject({ code: 0, changed: 0 });
  });
});
