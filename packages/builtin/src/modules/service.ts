import { cmd, sh, changes, defineModule, noChange, whichFact, ModuleError, type Change, type Command, type Plan } from '@shipshape/core';
import { z } from 'zod';
import { boolSchema } from '../internal/schemas.js';

export const serviceSchema = z
  .object({
    /** Service name. */
    name: z.string().regex(/^[A-Za-z0-9_.@:-]+$/, 'service names are letters, digits and _ . @ : -').describe('Service name.'),
    /** restarted and reloaded always act (and report a change), as in Ansible. */
    state: z.enum(['started', 'stopped', 'restarted', 'reloaded']).optional().describe('restarted and reloaded always act (and report a change), as in Ansible.'),
    /** Start at boot. */
    enabled: boolSchema.optional().describe('Start at boot.'),
    /** Init system to use; auto: the host's own (systemd, openrc or sysvinit). @default 'auto' */
    use: z.enum(['auto', 'systemd', 'openrc', 'sysvinit']).default('auto').describe('Init system to use; auto: the host\'s own (systemd, openrc or sysvinit).'),
  })
  .strict()
  .refine((a) => a.state !== undefined || a.enabled !== undefined, { message: 'give state and/or enabled', path: ['state'] });

export type ServiceArgs = z.output<typeof serviceSchema>;
export type InitSystem = 'systemd' | 'openrc' | 'sysvinit';

export interface ServiceFacts {
  readonly init: InitSystem;
  /** The unit or init script exists. */
  readonly exists: boolean;
  readonly running: boolean;
  readonly enabled: boolean;
  /** sysvinit: which boot-link tool exists. */
  readonly linkTool?: 'update-rc.d' | 'chkconfig' | '';
}

const TOOLS = ['systemctl', 'rc-service', 'rc-update', 'update-rc.d', 'chkconfig'] as const;

/** One round trip: which init runs, whether the service exists, runs, starts at boot. */
export function serviceStateCommand(name: string, use: ServiceArgs['use'], tools: Readonly<Record<string, string>>): Command {
  const init = use !== 'auto' ? use : tools.systemctl ? 'detect' : tools['rc-service'] ? 'openrc' : 'sysvinit';
  const systemd = sh`echo systemd; systemctl cat ${name} >/dev/null 2>&1 && echo 1 || echo 0; systemctl is-active --quiet ${name} && echo 1 || echo 0; systemctl is-enabled --quiet ${name} 2>/dev/null && echo 1 || echo 0`;
  const openrc = sh`echo openrc; [ -e /etc/init.d/${name} ] && echo 1 || echo 0; rc-service ${name} status >/dev/null 2>&1 && echo 1 || echo 0; rc-update show 2>/dev/null | awk '{print $1}' | grep -qx -e ${name} && echo 1 || echo 0`;
  const sysv = sh`echo sysvinit; s=/etc/init.d/${name}; [ -x "$s" ] && echo 1 || echo 0; [ -x "$s" ] && "$s" status >/dev/null 2>&1 && echo 1 || echo 0; set -- /etc/rc[2345].d/S*; f=0; for l in "$@"; do case "$l" in */S[0-9][0-9]${name}) f=1;; esac; done; echo $f`;
  if (init === 'systemd') return systemd;
  if (init === 'openrc') return openrc;
  if (init === 'sysvinit') return sysv;
  return sh`if [ -d /run/systemd/system ]; then ${systemd}; else ${tools['rc-service'] ? openrc : sysv}; fi`;
}

export function parseServiceState(stdout: string, tools: Readonly<Record<string, string>>): ServiceFacts {
  const [init, exists, running, enabled] = stdout.trim().split('\n');
  return {
    init: init as InitSystem,
    exists: exists === '1',
    running: running === '1',
    enabled: enabled === '1',
    ...(init === 'sysvinit' ? { linkTool: tools['update-rc.d'] ? 'update-rc.d' : tools.chkconfig ? 'chkconfig' : '' } : {}),
  };
}

function action(init: InitSystem, name: string, verb: 'start' | 'stop' | 'restart' | 'reload'): Command {
  if (init === 'systemd') return cmd('systemctl', verb, name);
  if (init === 'openrc') return cmd('rc-service', name, verb);
  return cmd(`/etc/init.d/${name}`, verb);
}

function bootLinks(f: ServiceFacts, name: string, on: boolean): Command {
  if (f.init === 'systemd') return cmd('systemctl', on ? 'enable' : 'disable', name);
  if (f.init === 'openrc') return on ? cmd('rc-update', 'add', name, 'default') : cmd('rc-update', 'del', name);
  if (f.linkTool === 'update-rc.d') return on ? sh`update-rc.d ${name} defaults && update-rc.d ${name} enable` : cmd('update-rc.d', name, 'disable');
  if (f.linkTool === 'chkconfig') return cmd('chkconfig', name, on ? 'on' : 'off');
  // bare sysvinit (busybox): the boot links themselves
  return on
    ? sh`for r in 2 3 4 5; do mkdir -p /etc/rc$r.d && ln -sf ../init.d/${name} /etc/rc$r.d/S20${name}; done`
    : sh`rm -f /etc/rc[2345].d/S[0-9][0-9]${name}`;
}

/** Pure plan for the service module. */
export function planService(a: ServiceArgs, f: ServiceFacts): Plan {
  if (!f.exists) throw new ModuleError(`Could not find the requested service ${a.name} (${f.init})`);
  const list: Change[] = [];
  const did: string[] = [];
  const add = (command: Command, what: string) => {
    list.push({ kind: 'exec', command });
    did.push(what);
  };
  if (a.state === 'started' && !f.running) add(action(f.init, a.name, 'start'), 'started');
  if (a.state === 'stopped' && f.running) add(action(f.init, a.name, 'stop'), 'stopped');
  if (a.state === 'restarted') add(action(f.init, a.name, f.running ? 'restart' : 'start'), 'restarted');
  if (a.state === 'reloaded') add(action(f.init, a.name, f.running ? 'reload' : 'start'), 'reloaded');
  if (a.enabled !== undefined && a.enabled !== f.enabled) add(bootLinks(f, a.name, a.enabled), a.enabled ? 'enabled' : 'disabled');
  const running = a.state === 'stopped' ? false : a.state ? true : f.running;
  const result = { name: a.name, state: running ? 'started' : 'stopped', enabled: a.enabled ?? f.enabled, init: f.init };
  if (!list.length) return noChange(`${a.name} is ${result.state}${a.enabled !== undefined ? `, ${f.enabled ? 'enabled' : 'disabled'}` : ''}`, result);
  return changes(`${a.name} ${did.join(', ')}`, list, { result });
}

/**
 * Start, stop, restart or reload a service and set whether it starts at boot, through systemd,
 * OpenRC or sysvinit scripts (detected on the host; bare busybox hosts get /etc/rcN.d links).
 * @example
 * service({ name: 'ssh', state: 'restarted', enabled: true })
 */
export const service = defineModule({
  name: 'service',
  description: 'Manage services',
  schema: serviceSchema,
  async gather(host, a): Promise<ServiceFacts> {
    const tools = await host.fact(whichFact, TOOLS);
    return parseServiceState((await host.run(serviceStateCommand(a.name, a.use, tools))).stdout, tools);
  },
  plan: planService,
});
