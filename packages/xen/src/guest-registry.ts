/**
 * The operators' guest registry: two `;`-separated CSV files on the hosting dom0, one row per guest.
 *   hosting: `IP;Name;Package;external IP;Date created` (first row after the header: the Xen host itself)
 *   backup:  `IP;Name;Package;Date created`
 * A pair has the same last octet in both subnets; the next pair gets the highest octet in use + 1. A row
 * whose Name is empty or `-` marks its address released: only such an octet is handed out again.
 */
import { changes, defineModule, failure, ModuleError, noChange, sh, z, type Plan } from '@shipshape/core';

export type RegistryKind = 'hosting' | 'backup';

export const REGISTRY_HEADER: Record<RegistryKind, string> = {
  hosting: 'IP;Name;Package;external IP;Date created',
  backup: 'IP;Name;Package;Date created',
};

export interface RegistryRow {
  readonly ip: string;
  /** Empty for a released address. */
  readonly name: string;
  readonly package: string;
  readonly externalIp?: string;
  readonly date: string;
  /** 1-based line number in the file. */
  readonly line: number;
}

const IPV4 = /^((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

/** Parse one registry file; errors name the file, the line and the field. */
export function parseRegistry(text: string, kind: RegistryKind, path: string): RegistryRow[] {
  const lines = text.split(/\r?\n/);
  if (lines[0]?.trim() !== REGISTRY_HEADER[kind]) {
    throw new ModuleError(`${path}: line 1: expected the header ${JSON.stringify(REGISTRY_HEADER[kind])}, got ${JSON.stringify(lines[0] ?? '')}`);
  }
  const width = REGISTRY_HEADER[kind].split(';').length;
  const rows: RegistryRow[] = [];
  lines.slice(1).forEach((raw, i) => {
    const line = i + 2;
    if (raw.trim() === '') return;
    const f = raw.split(';').map((s) => s.trim());
    if (f.length !== width) throw new ModuleError(`${path}: line ${line}: expected ${width} fields separated by ';', got ${f.length}: ${JSON.stringify(raw)}`);
    if (!IPV4.test(f[0]!)) throw new ModuleError(`${path}: line ${line}: field "IP" has bad value ${JSON.stringify(f[0])}: expected an IPv4 address`);
    const name = f[1] === '-' ? '' : f[1]!;
    if (kind === 'hosting') {
      if (f[3] && !IPV4.test(f[3])) throw new ModuleError(`${path}: line ${line}: field "external IP" has bad value ${JSON.stringify(f[3])}: expected an IPv4 address or nothing`);
      rows.push({ ip: f[0]!, name, package: f[2]!, externalIp: f[3] || undefined, date: f[4]!, line });
    } else {
      rows.push({ ip: f[0]!, name, package: f[2]!, date: f[3]!, line });
    }
  });
  return rows;
}

/** One row as the wrapper writes it. */
export function renderRegistryRow(kind: RegistryKind, r: Omit<RegistryRow, 'line'>): string {
  return kind === 'hosting' ? [r.ip, r.name, r.package, r.externalIp ?? '', r.date].join(';') : [r.ip, r.name, r.package, r.date].join(';');
}

export interface PairRegistry {
  readonly hosting: readonly RegistryRow[];
  readonly backup: readonly RegistryRow[];
}

const octetIn = (ip: string, prefix: string): number | undefined => (ip.startsWith(`${prefix}.`) ? Number(ip.slice(prefix.length + 1)) : undefined);

/**
 * Pure: the pair's octet from the registry. A pair already listed keeps its octet; else the lowest released
 * octet free in both files; else the highest octet in use in either file + 1 (the Xen host's own row counts).
 */
export function registryOctet(r: PairRegistry, names: { hosting: string; backup: string }, prefixes: { hosting: string; backup: string }, max = 254): number {
  for (const [rows, name, prefix] of [[r.hosting, names.hosting, prefixes.hosting], [r.backup, names.backup, prefixes.backup]] as const) {
    const listed = rows.find((x) => x.name === name);
    if (!listed) continue;
    const o = octetIn(listed.ip, prefix);
    if (o === undefined) throw new ModuleError(`registry: ${name} is listed with ${listed.ip}, outside ${prefix}.x`);
    return o;
  }
  const inUse = new Set<number>();
  const released = new Set<number>();
  for (const [rows, prefix] of [[r.hosting, prefixes.hosting], [r.backup, prefixes.backup]] as const) {
    for (const row of rows) {
      const o = octetIn(row.ip, prefix);
      if (o === undefined) continue;
      (row.name ? inUse : released).add(o);
    }
  }
  const free = [...released].filter((o) => !inUse.has(o)).sort((a, b) => a - b);
  if (free.length) return free[0]!;
  const next = Math.max(0, ...inUse) + 1;
  if (next > max) throw new ModuleError(`registry: no address left after ${prefixes.hosting}.${next - 1} (highest in use)`);
  return next;
}

export const registryEntrySchema = z
  .object({
    /** The registry CSV file on the host (`;`-separated). */
    path: z.string().regex(/^\/[A-Za-z0-9_./-]+$/, 'expected an absolute path').describe('The registry CSV file on the host (`;`-separated).'),
    /** hosting: rows `ip;name;package;external ip;date`; backup: rows `ip;name;package;date`. */
    kind: z.enum(['hosting', 'backup']).describe('hosting: rows `ip;name;package;external ip;date`; backup: rows `ip;name;package;date`.'),
    /** The guest's address; a released row (no name) of this address is reused, a row of it naming another guest fails. */
    ip: z.string().regex(IPV4, 'expected an IPv4 address').describe('The guest\'s address; a released row (no name) of this address is reused, a row of it naming another guest fails.'),
    /** The guest's name. */
    name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9.-]*$/, 'expected a guest name').describe('The guest\'s name.'),
    /** The hosting package the guest is sold as. */
    package: z.string().regex(/^[^;\n]*$/, "no ';' or newline").describe('The hosting package the guest is sold as.'),
    /** Public address of the guest (hosting rows only). */
    externalIp: z.string().regex(IPV4, 'expected an IPv4 address').optional().describe('Public address of the guest (hosting rows only).'),
    /** Date written in the row; today (YYYY-MM-DD) by default. @default today, YYYY-MM-DD */
    date: z.string().regex(/^[^;\n]+$/).optional().describe('Date written in the row; today (YYYY-MM-DD) by default.'),
  })
  .strict();

export type RegistryEntryArgs = z.output<typeof registryEntrySchema>;

/** Pure plan: listed with this IP: ok; listed otherwise: fail; a released row of this IP: reused; else appended. */
export function planRegistryEntry(a: RegistryEntryArgs, text: string | undefined, today: string): Plan {
  if (text === undefined) return failure(`${a.path}: registry file missing (expected the header ${JSON.stringify(REGISTRY_HEADER[a.kind])})`);
  const rows = parseRegistry(text, a.kind, a.path);
  const same = rows.find((r) => r.name === a.name);
  if (same) {
    return same.ip === a.ip ? noChange(`${a.path}: ${a.name} is listed (line ${same.line})`)
      : failure(`${a.path}: line ${same.line}: ${a.name} is listed with ${same.ip}, not ${a.ip}`);
  }
  const taken = rows.find((r) => r.ip === a.ip && r.name);
  if (taken) return failure(`${a.path}: line ${taken.line}: ${a.ip} belongs to ${taken.name}`);
  const row = renderRegistryRow(a.kind, { ip: a.ip, name: a.name, package: a.package, externalIp: a.externalIp, date: a.date ?? today });
  const lines = text.replace(/\n$/, '').split('\n');
  const released = rows.find((r) => r.ip === a.ip && !r.name);
  if (released) lines[released.line - 1] = row;
  else lines.push(row);
  return changes(released ? `${a.path}: ${a.name} takes the released line ${released.line} (${a.ip})` : `${a.path}: ${a.name} added (${a.ip})`, [
    { kind: 'write', path: a.path, content: `${lines.join('\n')}\n` },
  ]);
}

/**
 * A guest's row in one of the registry files (on this host), appended once.
 * @example registryEntry({ path: '/root/hosting.csv', kind: 'hosting', ip: '10.10.1.12', name: 'web02.hosting.example.org', package: 'package1' })
 */
export const registryEntry = defineModule({
  name: 'xen.registryEntry',
  description: "A guest's row in the operators' hosting or backup registry CSV",
  schema: registryEntrySchema,
  async gather(h, a) {
    const f = await h.readFile(a.path);
    return f.exists && f.content ? f.content.toString('utf8') : undefined;
  },
  plan: (a, text) => planRegistryEntry(a, text, new Date().toISOString().slice(0, 10)),
});

/** Shell text printing both registry files, for {@link parseRegistryPair}. */
export const registryReadCommand = (hosting: string, backup: string) => sh`cat ${hosting}; echo @@shipshape-registry; cat ${backup}`;

export function parseRegistryPair(stdout: string, paths: { hosting: string; backup: string }): PairRegistry {
  const [h, b] = stdout.split('@@shipshape-registry\n');
  return { hosting: parseRegistry(h ?? '', 'hosting', paths.hosting), backup: parseRegistry(b ?? '', 'backup', paths.backup) };
}
