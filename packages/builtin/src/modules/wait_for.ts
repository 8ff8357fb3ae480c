import { sh, defineModule, pathArg, noChange, ModuleError, type Command, type Plan } from '@shipshape/core';
import { z } from 'zod';

export const waitForSchema = z
  .object({
    /** Host whose port to check. */
    host: z.string().min(1).default('127.0.0.1').describe('Host whose port to check.'),
    /** TCP port to wait for on host. */
    port: z.number().int().min(1).max(65535).optional().describe('TCP port to wait for on host.'),
    /** File to wait for (instead of a port). */
    path: z.string().min(1).optional().describe('File to wait for (instead of a port).'),
    /** started/present: wait until open or existing; stopped/absent: until closed or gone. */
    state: z.enum(['started', 'present', 'stopped', 'absent']).default('started').describe('started/present: wait until open or existing; stopped/absent: until closed or gone.'),
    /** Seconds to wait at most. */
    timeout: z.number().int().nonnegative().default(300).describe('Seconds to wait at most.'),
    /** Seconds to wait before the first check. */
    delay: z.number().int().nonnegative().default(0).describe('Seconds to wait before the first check.'),
    /** Seconds between checks. */
    sleep: z.number().int().positive().default(1).describe('Seconds between checks.'),
    /** With path: wait until the file's content matches this extended regex. */
    search_regex: z.string().optional().describe('With path: wait until the file\'s content matches this extended regex.'),
    /** Message on timeout. */
    msg: z.string().optional().describe('Message on timeout.'),
  })
  .strict()
  .refine((a) => (a.port === undefined) !== (a.path === undefined), { message: 'give exactly one of port and path', path: ['port'] });

export type WaitForArgs = z.output<typeof waitForSchema>;

export interface WaitForFacts {
  readonly met: boolean;
  readonly elapsed: number;
}

/** /proc/net/tcp{,6} hex form of an IPv4 address (little-endian), or '' for "any address". */
function procAddress(host: string): string {
  const m = host.match(/^(\d+)\.(\d+)\.(\d+)\.(\d+)$/);
  if (!m) return '';
  return m.slice(1).reverse().map((o) => Number(o).toString(16).toUpperCase().padStart(2, '0')).join('');
}

/** Test for an open port: nc where it exists (busybox nc too), else a listening socket in /proc/net/tcp. */
function portOpen(host: string, port: number): Command {
  const hex = port.toString(16).toUpperCase().padStart(4, '0');
  const awk = 'NR>1 { split($2,a,":"); if (a[2]==p && $4=="0A" && (h=="" || a[1]==h || a[1]=="00000000")) f=1 } END { exit !f }';
  return sh`if command -v nc >/dev/null 2>&1; then nc -w 1 ${host} ${port} </dev/null >/dev/null 2>&1; else awk -v p=${hex} -v h=${procAddress(host)} ${awk} /proc/net/tcp /proc/net/tcp6 2>/dev/null; fi`;
}

function condition(a: WaitForArgs): Command {
  if (a.port !== undefined) {
    const open = portOpen(a.host, a.port);
    return a.state === 'stopped' || a.state === 'absent' ? sh`! { ${open}; }` : open;
  }
  if (a.state === 'stopped' || a.state === 'absent') return sh`! [ -e ${a.path!} ]`;
  if (a.search_regex !== undefined) return sh`grep -Eq -e ${a.search_regex} ${pathArg(a.path!)} 2>/dev/null`;
  return sh`[ -e ${a.path!} ]`;
}

/** One remote loop: prints `met <seconds>` or `timeout <seconds>`. */
export function waitForCommand(a: WaitForArgs): Command {
  return sh`(start=$(date +%s); sleep ${a.delay}; end=$((start + ${a.timeout})); while :; do if ${condition(a)}; then echo "met $(( $(date +%s) - start ))"; break; fi; if [ "$(date +%s)" -ge "$end" ]; then echo "timeout $(( $(date +%s) - start ))"; break; fi; sleep ${a.sleep}; done)`;
}

export function planWaitFor(a: WaitForArgs, f: WaitForFacts): Plan {
  const what = a.port !== undefined ? `${a.host}:${a.port}` : a.path!;
  if (!f.met) throw new ModuleError(a.msg ?? `Timeout when waiting for ${what}${a.search_regex ? ` to match ${a.search_regex}` : ''}`);
  return noChange(`${what} is ${a.state}`, { elapsed: f.elapsed, state: a.state, ...(a.port !== undefined ? { port: a.port } : { path: a.path }) });
}

/**
 * Wait on the host until a port opens/closes or a file appears/disappears (or matches a regex).
 * Works with busybox: `nc`, or /proc/net/tcp when there is no nc; never bash's /dev/tcp.
 * @example
 * waitFor({ port: 8080, timeout: 60 })
 */
export const waitFor = defineModule({
  name: 'wait_for',
  description: 'Wait for a port or a file',
  schema: waitForSchema,
  async gather(host, a): Promise<WaitForFacts> {
    const r = await host.run(waitForCommand(a), { timeoutMs: (a.timeout + a.delay + 30) * 1000 });
    const [word, secs] = r.stdout.trim().split(' ');
    return { met: word === 'met', elapsed: Number(secs) || 0 };
  },
  plan: planWaitFor,
});

/** {@link waitFor} under Ansible's module name: the same factory. */
export const wait_for = waitFor;
