import { cmd, defineModule, script, sh, CommandError, ModuleError, type Host, type TaskResult } from '@shipshape/core';
import { inContainer, type ContainerWork } from './connection.js';
import { OS_INFO_COMMAND, parseOsInfo, type OsInfo } from './os-family.js';
import { execFailure, vzExec } from './exec.js';
import {
  parseRebuildFacts, planRebuild, REBUILD_SPLIT, TEMPLATE_CACHE_LISTING, templateRebuildSchema,
  type RebuildJob, type TemplateRebuildArgs,
} from './rebuild-plan.js';
import { createWithRepairs, repairValues, startWithRepairs } from './repair.js';

/** Package update with the container's own package manager (first one found). */
const UPDATE = script(
  'if command -v apt-get >/dev/null 2>&1; then export DEBIAN_FRONTEND=noninteractive; apt-get -q update && apt-get -y -q upgrade; ' +
    'elif command -v dnf >/dev/null 2>&1; then dnf -y upgrade; elif command -v yum >/dev/null 2>&1; then yum -y update; ' +
    'elif command -v apk >/dev/null 2>&1; then apk update && apk upgrade; elif command -v zypper >/dev/null 2>&1; then zypper -n refresh && zypper -n update; ' +
    'else echo "no known package manager (apt-get, dnf, yum, apk, zypper) in the container" >&2; exit 127; fi',
);

/** Package caches out, resolv.conf emptied (a template must not carry the build's DNS). */
const CLEAN = script(
  'if command -v apt-get >/dev/null 2>&1; then apt-get clean; elif command -v dnf >/dev/null 2>&1; then dnf clean all; ' +
    'elif command -v yum >/dev/null 2>&1; then yum clean all; elif command -v apk >/dev/null 2>&1; then rm -rf /var/cache/apk/*; fi; ' +
    ': > /etc/resolv.conf',
);

/** Stop, unmount and destroy CT `ctid` and remove its configs (`.destroyed` too) and the temp archive. */
export function cleanupCommand(ctid: number, tmpArchive?: string) {
  const id = String(ctid);
  const conf = `/etc/vz/conf/${id}`;
  return sh`vzctl stop ${id} --fast >/dev/null 2>&1; vzctl umount ${id} >/dev/null 2>&1; \
if [ -f ${conf}.conf ]; then vzctl destroy ${id} >/dev/null 2>&1; fi; \
rm -f ${conf}.conf ${conf}.conf.destroyed ${tmpArchive ?? '/nonexistent'} ${conf}.*.destroyed; vzctl status ${id}`;
}

async function inCt(h: Host, ctid: number, what: string, command: ReturnType<typeof script>): Promise<void> {
  const r = await vzExec(h, ctid, command, { mode: 'exec2' });
  const failure = execFailure(ctid, 'exec2', r);
  if (failure) throw new ModuleError(`${what}: ${failure}`);
}

export interface RebuildOutcome {
  readonly template: string;
  readonly repairs: readonly string[];
  /** What the rebuild met that mattered (vzctl without --layout, a ploop private area). */
  readonly notes: readonly string[];
  readonly steps: readonly string[];
  /** The container's OS, when `customize` picked tasks by family. */
  readonly os?: OsInfo;
  /** Tasks run by `customize`, with their status. */
  readonly customized: readonly { task: string; status: string; msg?: string }[];
}

/** The rebuild itself; on any failure the temporary CT and its files are removed and the error rethrown. */
export async function rebuildTemplate(h: Host, a: TemplateRebuildArgs, job: RebuildJob): Promise<RebuildOutcome> {
  const id = String(a.ctid);
  const final = `${job.dir}/${job.target}`;
  const tmp = `${job.dir}/.${job.target}.shipshape-tmp`;
  const repairs: string[] = [];
  const notes: string[] = [];
  const steps: string[] = [];
  let customized: RebuildOutcome['customized'] = [];
  let os: OsInfo | undefined;
  const values = repairValues(a);
  const step = async (name: string, fn: () => Promise<unknown>) => {
    steps.push(name);
    await fn();
  };
  const vz = (...argv: string[]) => h.run(cmd('vzctl', ...argv));
  try {
    await step('create', async () => {
      const argv = ['--ostemplate', job.source.name, ...(a.config ? ['--config', a.config] : [])];
      try {
        await createWithRepairs(h, a.ctid, [...argv, '--layout', a.layout], values, repairs);
      } catch (e) {
        if (!(e instanceof CommandError && /unrecognized option '--layout'/.test(e.stderr))) throw e;
        notes.push('this vzctl has no --layout option (vzctl 3.x: simfs only)');
        await createWithRepairs(h, a.ctid, argv, values, repairs);
      }
    });
    const net = [...(a.ip ? ['--ipadd', a.ip] : []), ...a.nameserver.flatMap((n) => ['--nameserver', n]), ...(a.hostname ? ['--hostname', a.hostname] : [])];
    await step('set ip/dns', () => vz('set', id, ...net, '--save'));
    await step('start', () => startWithRepairs(h, a.ctid, values, repairs));
    if (a.update) await step('update packages', () => inCt(h, a.ctid, 'package update', UPDATE));
    const customize = a.customize;
    if (customize) {
      await step('customize', async () => {
        let work: ContainerWork;
        if (typeof customize === 'function' || Array.isArray(customize)) work = customize as ContainerWork;
        else {
          const r = await vzExec(h, a.ctid, OS_INFO_COMMAND, { mode: 'exec2' });
          const failure = execFailure(a.ctid, 'exec2', r);
          if (failure) throw new ModuleError(`reading the OS release: ${failure}`);
          os = parseOsInfo(r.stdout);
          const seen = os.source ? `${os.source}: ${JSON.stringify(os.pretty ?? os.id)}` : 'no /etc/os-release or release file';
          const tasks = os.family ? customize[os.family] : undefined;
          if (!tasks) throw new ModuleError(`customize has no tasks for ${os.family ? `the ${os.family} family` : 'an unknown OS'} (${seen}); give customize.${os.family ?? '<family>'}`);
          notes.push(`customized as ${os.family} (${seen})`);
          work = tasks;
        }
        customized = (await inContainer(h, a.ctid, work, `customize ${job.target}`)).results;
      });
    }
    await step('clean caches and resolv.conf', () => inCt(h, a.ctid, 'clean', CLEAN));
    await step('stop', () => vz('stop', id));
    await step('remove IPs', () => vz('set', id, '--ipdel', 'all', '--save'));
    await step('archive', async () => {
      const [priv = '', root = '', layout = ''] = (await h.run(sh`p=$(vzlist -a -H -t -o private ${id}) && r=$(vzlist -a -H -t -o root ${id}) && \
printf '%s\\0%s\\0' "$p" "$r" && if [ -f "$p/root.hdd/DiskDescriptor.xml" ]; then printf ploop; else printf simfs; fi`)).stdout.split('\0');
      if (!priv.startsWith('/') || !root.startsWith('/')) throw new ModuleError(`vzlist gave no private area/root for CT ${id}: ${JSON.stringify([priv, root])}`);
      if (layout === 'ploop') {
        // The private area holds the image (root.hdd/); the tree is what the mounted image shows.
        notes.push(`CT ${id} is ploop: archived the tree of its mounted image`);
        await vz('mount', id);
        try {
          await h.run(sh`tar --numeric-owner -czf ${tmp} -C ${root} . && gzip -t ${tmp}`);
        } finally {
          await vz('umount', id);
        }
        await h.run(sh`mv -f ${tmp} ${final}`);
      } else {
        await h.run(sh`tar --numeric-owner -czf ${tmp} -C ${priv} . && gzip -t ${tmp} && mv -f ${tmp} ${final}`);
      }
    });
    await step('destroy', () => vz('destroy', id));
    await step('remove leftover configs', () => h.run(sh`rm -f /etc/vz/conf/${id}.conf.destroyed /etc/vz/conf/${id}.*.destroyed`));
  } catch (e) {
    const left = await h.run(cleanupCommand(a.ctid, tmp), { allowFail: true }).catch((x: unknown) => ({ stdout: String(x) }));
    const why = e instanceof Error ? e.message : String(e);
    throw new ModuleError(
      `template rebuild of ${job.target} failed at step "${steps[steps.length - 1]}": ${why}; ` +
        `cleaned up temporary CT ${id} (${left.stdout.trim()}); ${job.source.file} untouched`,
      { cause: e },
    );
  }
  return { template: final, repairs, notes, steps, customized, ...(os ? { os } : {}) };
}

/** The task's result from a rebuild's outcome: the template, what the customize tasks changed, repairs and notes. */
function rebuildResult(msg: string, out: RebuildOutcome): Partial<TaskResult> {
  const repaired = out.repairs.length > 0 ? `; repaired: ${out.repairs.join('; ')}` : '';
  const changedInside = out.customized.filter((r) => r.status === 'changed').length;
  const custom = out.customized.length > 0 ? `; customize: ${changedInside} of ${out.customized.length} tasks changed` : '';
  const noted = out.notes.length > 0 ? `; ${out.notes.join('; ')}` : '';
  return {
    msg: `${msg}: ${out.template}${custom}${repaired}${noted}`,
    data: { template: out.template, repairs: out.repairs, notes: out.notes, steps: out.steps, customized: out.customized, os: out.os },
  };
}

/**
 * Rebuild an OpenVZ OS template: temporary container from `from`, IP and DNS, start, package
 * update with its own package manager, `customize` inside it, caches and resolv.conf cleaned,
 * stop, IPs removed, private area tarred with numeric owners into the cache as `to`, container
 * destroyed and its leftover configs removed. Nothing is left behind on failure; `from` is never
 * touched. Missing DISKSPACE/DISKINODES (vz.conf; at create or start) and UB parameters (CT config,
 * from `ubcPreset`) are repaired and reported. An existing `to` is kept unless `force`.
 * @example
 * templateRebuild({ from: 'debian-12-minimal_12.0_amd64', to: 'debian-12-php_12.0-1_amd64.tar.gz', ctid: 9999,
 *   ip: '10.0.0.250', nameserver: '10.0.0.1',
 *   customize: async (ct) => { await ct.$`apt-get install -y php`; } })
 */
export const templateRebuild = defineModule({
  name: 'openvz.templateRebuild',
  description: 'Rebuild an OpenVZ OS template through a temporary container, with a name vzctl and Proxmox accept',
  schema: templateRebuildSchema,
  async gather(h: Host, a: TemplateRebuildArgs) {
    const id = String(a.ctid);
    const r = await h.run(
      sh`${TEMPLATE_CACHE_LISTING}; echo ${REBUILD_SPLIT}; if [ -f /etc/vz/conf/${id}.conf ] || vzlist -a -H -o ctid ${id} >/dev/null 2>&1; then echo in-use; else echo free; fi`,
    );
    return parseRebuildFacts(r.stdout);
  },
  plan: (a, f) => planRebuild(a, f, (job, msg) => async (h) => rebuildResult(msg, await rebuildTemplate(h, a, job))),
});
