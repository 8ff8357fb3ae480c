import { sh } from './command.js';
import type { FactDef } from './types.js';

/** The host's name (`hostname`, or /proc/sys/kernel/hostname where hostname is missing). */
export const hostnameFact: FactDef<string> = {
  name: 'hostname',
  command: () => sh`hostname 2>/dev/null || cat /proc/sys/kernel/hostname`,
  parse: (r) => r.stdout.trim(),
};

/** Parse os-release's KEY=value lines (values possibly quoted). */
export function parseOsRelease(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (!m) continue;
    let v = m[2]!;
    if (/^".*"$|^'.*'$/.test(v)) v = v.slice(1, -1).replace(/\\(["\\$`])/g, '$1');
    out[m[1]!] = v;
  }
  return out;
}

/** /etc/os-release (or /usr/lib/os-release) as key/value pairs; empty when absent (ESXi). */
export const osReleaseFact: FactDef<Record<string, string>> = {
  name: 'os_release',
  command: () => sh`cat /etc/os-release 2>/dev/null || cat /usr/lib/os-release 2>/dev/null || true`,
  parse: (r) => parseOsRelease(r.stdout),
};

export interface KernelFact {
  readonly name: string;
  readonly release: string;
  readonly machine: string;
}

export const kernelFact: FactDef<KernelFact> = {
  name: 'kernel',
  command: () => sh`uname -s; uname -r; uname -m`,
  parse: (r) => {
    const [name = '', release = '', machine = ''] = r.stdout.split('\n').map((l) => l.trim());
    return { name, release, machine };
  },
};

/** Which of the given commands exist on the host: name → path (absent names are missing). */
export const whichFact: FactDef<Record<string, string>, readonly string[]> = {
  name: 'which',
  command: (names) =>
    sh`for c in ${names.map((n) => sh`${n}`)}; do p=$(command -v "$c" 2>/dev/null) && printf '%s\\t%s\\n' "$c" "$p"; done; true`,
  parse: (r) => {
    const out: Record<string, string> = {};
    for (const line of r.stdout.split('\n')) {
      const [name, path] = line.split('\t');
      if (name && path) out[name] = path;
    }
    return out;
  },
};
