/**
 * OS template names, one model for both conventions in use (docs/platforms/openvz.md, "Template names"):
 * - `aplinfo` (Proxmox appliances, DAB): `<dist>[-<version>][-<description>]_<customversion>_<arch>.tar.<ext>`,
 *   e.g. `debian-12-standard_12.7-1_amd64.tar.zst`, `archlinux-base_20240911-1_amd64.tar.zst`;
 * - `openvz` (OpenVZ precreated caches): `<dist>-<version>-<arch>[-<description>].tar.<ext>`,
 *   e.g. `centos-6-x86_64.tar.gz`, `debian-7.0-x86_64-minimal.tar.gz`.
 * vzctl picks the distribution scripts by cutting the name at its last `-` (openvz.md, "Dist detection"),
 * so a name that starts with `<dist>-<version>-` gets the right scripts in either convention.
 */
import { ArgumentError } from '@shipshape/core';

/** Archive extensions vzctl and Proxmox read from the template cache. */
export const TEMPLATE_EXTENSIONS = ['tar', 'tar.gz', 'tar.xz', 'tar.bz2', 'tar.zst'] as const;
export type TemplateExtension = (typeof TEMPLATE_EXTENSIONS)[number];

/** Architectures the tools put in template names (OpenVZ: x86, x86_64; Debian/Proxmox: i386, amd64, arm64, ...). */
export const TEMPLATE_ARCHES = ['x86_64', 'x86', 'i386', 'i686', 'amd64', 'arm64', 'aarch64', 'armhf', 'ppc64el', 's390x', 'riscv64'] as const;
export type TemplateArch = (typeof TEMPLATE_ARCHES)[number];

export const TEMPLATE_CONVENTIONS = ['aplinfo', 'openvz'] as const;
/** `aplinfo`: Proxmox appliance names (`_`-separated); `openvz`: OpenVZ download names (`-`-separated). */
export type TemplateConvention = (typeof TEMPLATE_CONVENTIONS)[number];

export interface TemplateName {
  readonly convention: TemplateConvention;
  /** Distribution, lower case: vzctl looks up `/etc/vz/dists/<dist>.conf`. e.g. `debian` */
  readonly dist: string;
  /** Distribution version, starts with a digit; absent in rolling names such as `archlinux-base_…`. e.g. `12` */
  readonly version?: string;
  /** What the template is: aplinfo's package (`standard`), openvz's flavour (`minimal`); optional for openvz. */
  readonly description?: string;
  /** The appliance's own version (aplinfo only). e.g. `12.7-1`, `20240908` */
  readonly customVersion?: string;
  readonly arch: TemplateArch;
  /** Present when the name carried an archive extension. */
  readonly ext?: TemplateExtension;
}

export const TEMPLATE_NAME_FORM =
  '<dist>[-<version>][-<description>]_<customversion>_<arch>.tar.<ext> (Proxmox aplinfo) or <dist>-<version>-<arch>[-<description>].tar.<ext> (OpenVZ)';
const EXAMPLES = 'e.g. debian-12-standard_12.7-1_amd64.tar.zst or centos-6-x86_64.tar.gz';

/** A template name neither convention accepts. */
export class TemplateNameError extends ArgumentError {
  constructor(readonly templateName: string, readonly reason: string) {
    super(`bad template name ${JSON.stringify(templateName)}: ${reason}; expected ${TEMPLATE_NAME_FORM}, ${EXAMPLES}`, 'name', templateName);
  }
}

const DIST = /^[a-z][a-z0-9]*$/;
const VERSION = /^[0-9][0-9a-z.]*$/;
const DESCRIPTION = /^[a-z0-9][a-z0-9.+-]*$/;
const CUSTOM = /^[0-9A-Za-z][0-9A-Za-z.+~-]*$/;
const ARCH = TEMPLATE_ARCHES.join('|');
const APLINFO = new RegExp(`^(.+)_([^_]*)_(${ARCH})$`);
const OPENVZ = new RegExp(`^([^-_]+)-([^-_]+)-(${ARCH})(?:-(.+))?$`);

function splitExtension(name: string): { base: string; ext?: TemplateExtension } {
  const lower = name.toLowerCase();
  // Longest extension first so `.tar.gz` wins over `.tar`.
  for (const ext of [...TEMPLATE_EXTENSIONS].sort((a, b) => b.length - a.length)) {
    if (lower.endsWith(`.${ext}`)) return { base: name.slice(0, -ext.length - 1), ext };
  }
  return { base: name };
}

type Bad = (reason: string) => never;

function checkDist(dist: string, bad: Bad): void {
  if (!DIST.test(dist)) bad(`dist "${dist}" must be lower-case letters/digits (vzctl looks up /etc/vz/dists/<dist>.conf)`);
}
function checkDescription(d: string, bad: Bad): void {
  if (!DESCRIPTION.test(d)) bad(`description "${d}" must be lower-case letters, digits, ".", "+" or "-"`);
}

function parseAplinfo(m: RegExpExecArray, ext: TemplateExtension | undefined, bad: Bad): TemplateName {
  const [, head, customVersion, arch] = m as unknown as [string, string, string, TemplateArch];
  if (head.includes('_')) bad(`it has ${head.split('_').length + 2} "_"-separated parts, needs 3 (name, custom version, arch)`);
  const [dist = '', ...rest] = head.split('-');
  checkDist(dist, bad);
  const version = rest[0] !== undefined && /^[0-9]/.test(rest[0]) ? rest.shift() : undefined;
  if (version !== undefined && !VERSION.test(version)) bad(`version "${version}" must be digits, letters and "."`);
  const description = rest.length > 0 ? rest.join('-') : undefined;
  if (description !== undefined) checkDescription(description, bad);
  if (version === undefined && description === undefined) bad(`"${head}" is not <dist>-<version>-<description> or <dist>-<description>`);
  if (!CUSTOM.test(customVersion)) bad(`custom version "${customVersion}" must be letters, digits, ".", "+", "~" or "-"`);
  return { convention: 'aplinfo', dist, ...(version ? { version } : {}), ...(description ? { description } : {}), customVersion, arch, ...(ext ? { ext } : {}) };
}

function parseOpenvz(m: RegExpExecArray, ext: TemplateExtension | undefined, bad: Bad): TemplateName {
  const [, dist, version, arch, description] = m as unknown as [string, string, string, TemplateArch, string | undefined];
  checkDist(dist, bad);
  if (!VERSION.test(version)) bad(`version "${version}" must start with a digit`);
  if (description !== undefined) checkDescription(description, bad);
  return { convention: 'openvz', dist, version, arch, ...(description ? { description } : {}), ...(ext ? { ext } : {}) };
}

/**
 * Parse a template name (with or without `.tar.*`) of either convention; `convention` says which
 * it follows. Throws {@link TemplateNameError} naming what is wrong.
 * @example parseTemplateName('centos-6-x86_64.tar.gz') // { convention: 'openvz', dist: 'centos', version: '6', arch: 'x86_64', ext: 'tar.gz' }
 */
export function parseTemplateName(name: string): TemplateName {
  const bad: Bad = (reason) => {
    throw new TemplateNameError(name, reason);
  };
  if (typeof name !== 'string' || name === '') bad('the name is empty');
  if (/[\s/]/.test(name)) bad('it contains whitespace or a "/" (give the file name only)');
  const { base, ext } = splitExtension(name);
  if (!ext && /\.(zip|tgz|gz|xz|bz2|zst|tar\.\w+)$/i.test(name)) bad('unsupported archive extension (use .tar, .tar.gz, .tar.xz, .tar.bz2 or .tar.zst)');
  const apl = APLINFO.exec(base);
  if (apl) return parseAplinfo(apl, ext, bad);
  const ovz = OPENVZ.exec(base);
  if (ovz) return parseOpenvz(ovz, ext, bad);
  const parts = base.split('_');
  if (parts.length >= 3) bad(`arch "${parts[parts.length - 1]}" is not one of ${TEMPLATE_ARCHES.join(', ')}`);
  return bad(`no architecture (${TEMPLATE_ARCHES.join(', ')}) where either convention puts it`);
}

/** True when {@link parseTemplateName} accepts the name. */
export function isTemplateName(name: string): boolean {
  try {
    parseTemplateName(name);
    return true;
  } catch {
    return false;
  }
}

/**
 * Build a template file name in its convention; validates the result with the parser.
 * @example renderTemplateName({ convention: 'aplinfo', dist: 'debian', version: '12', description: 'php', customVersion: '12.0-1', arch: 'amd64' }, 'tar.gz')
 * // 'debian-12-php_12.0-1_amd64.tar.gz'
 */
export function renderTemplateName(t: Omit<TemplateName, 'ext'>, ext?: TemplateExtension | null): string {
  const join = (...p: (string | undefined)[]) => p.filter((x) => x !== undefined && x !== '').join('-');
  const base = t.convention === 'openvz'
    ? join(t.dist, t.version, t.arch, t.description)
    : `${join(t.dist, t.version, t.description)}_${t.customVersion ?? ''}_${t.arch}`;
  const name = ext ? `${base}.${ext}` : base;
  const back = parseTemplateName(name);
  if (back.convention !== t.convention) throw new TemplateNameError(name, `it reads as a name of the ${back.convention} convention, not ${t.convention}`);
  return name;
}

/** The name without its archive extension (what `vzctl create --ostemplate` takes). */
export function templateBaseName(name: string): string {
  return splitExtension(name).base;
}
