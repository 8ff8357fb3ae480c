/**
 * OS template names that vzctl (dist detection, platforms.md §2.8) and Proxmox (aplinfo naming,
 * §3) both recognise: `<dist>-<version>-<description>_<customversion>_<arch>[.tar.<ext>]`.
 */
import { ArgumentError } from '@shipshape/core';

/** Archive extensions vzctl and Proxmox both read from the template cache. */
export const TEMPLATE_EXTENSIONS = ['tar', 'tar.gz', 'tar.xz', 'tar.bz2', 'tar.zst'] as const;
export type TemplateExtension = (typeof TEMPLATE_EXTENSIONS)[number];

/** Architectures used in OpenVZ/Proxmox template names. */
export const TEMPLATE_ARCHES = ['amd64', 'i386', 'arm64', 'armhf', 'x86_64', 'x86', 'aarch64', 'ppc64el', 's390x', 'riscv64'] as const;
export type TemplateArch = (typeof TEMPLATE_ARCHES)[number];

export interface TemplateName {
  /** Distribution, lower case: vzctl looks up `/etc/vz/dists/<dist>.conf`. e.g. `debian` */
  readonly dist: string;
  /** Distribution version, starts with a digit. e.g. `12` */
  readonly version: string;
  /** What the template is. e.g. `standard`, `php-web` */
  readonly description: string;
  /** The template's own version. e.g. `12.2-1`, `20250617` */
  readonly customVersion: string;
  readonly arch: TemplateArch;
  /** Present when the name carried an archive extension. */
  readonly ext?: TemplateExtension;
}

export const TEMPLATE_NAME_FORM = '<dist>-<version>-<description>_<customversion>_<arch>[.tar.gz]';
const EXAMPLE = 'debian-12-standard_12.2-1_amd64.tar.gz';

/** A template name vzctl or Proxmox would not recognise. */
export class TemplateNameError extends ArgumentError {
  constructor(readonly templateName: string, readonly reason: string) {
    super(
      `bad template name ${JSON.stringify(templateName)}: ${reason}; expected ${TEMPLATE_NAME_FORM}, e.g. ${EXAMPLE}`,
      'name',
      templateName,
    );
  }
}

const DIST = /^[a-z][a-z0-9]*$/;
const VERSION = /^[0-9][0-9a-z.]*$/;
const DESCRIPTION = /^[a-z0-9][a-z0-9.+-]*$/;
const CUSTOM = /^[0-9A-Za-z][0-9A-Za-z.+~-]*$/;

function splitExtension(name: string): { base: string; ext?: TemplateExtension } {
  const lower = name.toLowerCase();
  // Longest extension first so `.tar.gz` wins over `.tar`.
  for (const ext of [...TEMPLATE_EXTENSIONS].sort((a, b) => b.length - a.length)) {
    if (lower.endsWith(`.${ext}`)) return { base: name.slice(0, -ext.length - 1), ext };
  }
  return { base: name };
}

/**
 * Parse a template name (with or without `.tar.*`); throws {@link TemplateNameError} naming what is wrong.
 * @example parseTemplateName('debian-12-standard_12.2-1_amd64.tar.gz').dist // 'debian'
 */
export function parseTemplateName(name: string): TemplateName {
  const bad = (reason: string): never => {
    throw new TemplateNameError(name, reason);
  };
  if (typeof name !== 'string' || name === '') bad('the name is empty');
  if (/[\s/]/.test(name)) bad('it contains whitespace or a "/" (give the file name only)');
  const { base, ext } = splitExtension(name);
  if (!ext && /\.(zip|tgz|gz|xz|bz2|zst|tar\.\w+)$/i.test(name)) bad('unsupported archive extension (use .tar, .tar.gz, .tar.xz, .tar.bz2 or .tar.zst)');
  const parts = base.split('_');
  if (parts.length !== 3) bad(`it has ${parts.length} "_"-separated parts, needs 3 (name, custom version, arch)`);
  const [head, customVersion, arch] = parts as [string, string, string];
  const m = /^([^-]*)-([^-]*)-(.*)$/.exec(head);
  if (!m) bad(`"${head}" is not <dist>-<version>-<description>`);
  const [, dist, version, description] = m as unknown as [string, string, string, string];
  if (!DIST.test(dist)) bad(`dist "${dist}" must be lower-case letters/digits (vzctl looks up /etc/vz/dists/<dist>.conf)`);
  if (!VERSION.test(version)) bad(`version "${version}" must start with a digit`);
  if (!DESCRIPTION.test(description)) bad(`description "${description}" must be lower-case letters, digits, ".", "+" or "-"`);
  if (!CUSTOM.test(customVersion)) bad(`custom version "${customVersion}" must be letters, digits, ".", "+", "~" or "-"`);
  if (!(TEMPLATE_ARCHES as readonly string[]).includes(arch)) bad(`arch "${arch}" is not one of ${TEMPLATE_ARCHES.join(', ')}`);
  return { dist, version, description, customVersion, arch: arch as TemplateArch, ...(ext ? { ext } : {}) };
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
 * Build a template file name; validates every part the same way the parser does.
 * @example renderTemplateName({ dist: 'debian', version: '12', description: 'php', customVersion: '12.0-1', arch: 'amd64' }, 'tar.gz')
 * // 'debian-12-php_12.0-1_amd64.tar.gz'
 */
export function renderTemplateName(t: Omit<TemplateName, 'ext'>, ext?: TemplateExtension | null): string {
  const base = `${t.dist}-${t.version}-${t.description}_${t.customVersion}_${t.arch}`;
  const name = ext ? `${base}.${ext}` : base;
  parseTemplateName(name);
  return name;
}

/** The name without its archive extension (what `vzctl create --ostemplate` takes). */
export function templateBaseName(name: string): string {
  return splitExtension(name).base;
}
