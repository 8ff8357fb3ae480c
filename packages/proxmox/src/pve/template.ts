/**
 * `proxmox.template`: an appliance template in a storage's `vztmpl` content, downloaded with
 * `pveam download` (after `pveam update` when asked) or uploaded from a tarball on the controller
 * into the path `pvesm path <storage>:vztmpl/<file>` names; either way verified by `pveam list`
 * afterwards (docs/platforms/proxmox.md). The name is checked with the template-name model shared
 * with `@shipshape/openvz`.
 */
import { createReadStream, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { ArgumentError, ModuleError, changes, cmd, defineModule, noChange, sh, type Change, type Host, type Plan } from '@shipshape/core';
import { parseTemplateName } from '@shipshape/openvz';
import { pveamListFact, pveamSize, type PveTemplate } from './facts.js';

export const templateSchema = z
  .object({
    /** Template file name, e.g. `debian-12-standard_12.7-1_amd64.tar.zst` (an appliance name for a download). */
    name: z.string().min(1).describe('Template file name, e.g. `debian-12-standard_12.7-1_amd64.tar.zst` (an appliance name for a download).'),
    /** Storage with `vztmpl` content. @default 'local' */
    storage: z.string().regex(/^[a-z][a-z0-9._-]*$/).default('local').describe('Storage with `vztmpl` content.'),
    /** A tarball on the controller to upload instead of downloading `name` (relative to the working directory). */
    src: z.string().min(1).optional().describe('A tarball on the controller to upload instead of downloading `name` (relative to the working directory).'),
    /** Run `pveam update` (the appliance index) before a download. @default false */
    update: z.boolean().default(false).describe('Run `pveam update` (the appliance index) before a download.'),
    /** present (downloaded or uploaded) or absent (pveam remove). @default 'present' */
    state: z.enum(['present', 'absent']).default('present').describe('present (downloaded or uploaded) or absent (pveam remove).'),
  })
  .strict();
export type TemplateArgs = z.output<typeof templateSchema>;

export interface TemplateFacts {
  readonly listed: readonly PveTemplate[];
  /** Bytes of `src` on the controller. */
  readonly srcBytes?: number;
}

const volid = (a: TemplateArgs) => `${a.storage}:vztmpl/${a.name}`;

function checkName(a: TemplateArgs): void {
  const t = parseTemplateName(a.name);
  if (!t.ext) throw new ArgumentError(`proxmox.template: field "name" has bad value ${JSON.stringify(a.name)}: give the file name with its .tar.* extension`, 'name', a.name);
}

/** After the change: `pveam list` must show the template (with the uploaded size). */
async function verify(h: Host, a: TemplateArgs, bytes?: number): Promise<void> {
  const listed = await h.fact(pveamListFact, a.storage, { fresh: true });
  const got = listed.find((t) => t.volid === volid(a));
  if (!got) throw new ModuleError(`${volid(a)} is not in \`pveam list ${a.storage}\` after the ${a.src ? 'upload' : 'download'}`);
  if (bytes !== undefined && got.sizeMb !== pveamSize(bytes)) throw new ModuleError(`${volid(a)}: pveam lists ${got.sizeMb}MB, the uploaded file has ${pveamSize(bytes)}MB`);
}

/** Upload `src` to `<path>.part` (mode 0644 before the first byte), check its size, rename it into place. */
async function upload(h: Host, a: TemplateArgs, bytes: number): Promise<void> {
  const path = (await h.run(cmd('pvesm', 'path', volid(a)))).stdout.trim();
  if (!path.startsWith('/')) throw new ModuleError(`pvesm path ${volid(a)}: unexpected answer ${JSON.stringify(path)}`);
  const part = `${path}.part`;
  try {
    await h.connection.upload(createReadStream(resolve(a.src!)), part, { mode: 0o644 });
    await h.run(sh`n=$(ls -lnd ${part} | awk '{print $5}') && [ "$n" = ${String(bytes)} ] && mv -f ${part} ${path}`);
  } catch (e) {
    await h.run(sh`rm -f ${part}`, { allowFail: true });
    throw new ModuleError(`uploading ${a.src} to ${h.name}:${part} failed: ${(e as Error).message}`, { cause: e });
  }
}

async function pveamUpdate(h: Host): Promise<void> {
  const r = await h.run(cmd('pveam', 'update'), { allowFail: true });
  // pveam update exits 0 even when it failed: the words tell.
  if (!/^update successful$/m.test(r.stdout)) throw new ModuleError(`pveam update failed (exit ${r.code}): ${(r.stderr.trim() || r.stdout.trim()) || 'no output'}`);
}

/** Pure: what brings the template to the wanted state. */
export function planTemplate(a: TemplateArgs, f: TemplateFacts): Plan {
  checkName(a);
  const here = f.listed.find((t) => t.volid === volid(a));
  if (a.state === 'absent') {
    if (!here) return noChange(`${volid(a)} is absent`);
    return changes(`${volid(a)} removed`, [{ kind: 'exec', describe: 'pveam remove', command: cmd('pveam', 'remove', volid(a)) }]);
  }
  const sameSize = f.srcBytes === undefined || here?.sizeMb === pveamSize(f.srcBytes);
  if (here && sameSize) return noChange(`${volid(a)} is in storage ${a.storage} (${here.sizeMb}MB)`, { volid: volid(a) });
  const steps: Change[] = [];
  let msg: string;
  if (a.src) {
    const bytes = f.srcBytes!;
    steps.push({ kind: 'call', describe: `upload ${a.src} as ${volid(a)}`, run: (h) => upload(h, a, bytes) });
    msg = `${volid(a)} ${here ? 'replaced by' : 'uploaded from'} ${a.src} (${pveamSize(bytes)}MB)`;
  } else {
    if (a.update) steps.push({ kind: 'call', describe: 'pveam update', run: pveamUpdate });
    steps.push({ kind: 'exec', describe: 'pveam download', command: cmd('pveam', 'download', a.storage, a.name) });
    msg = `${volid(a)} downloaded${a.update ? ' (index updated first)' : ''}`;
  }
  steps.push({ kind: 'call', describe: `pveam list ${a.storage} shows it`, run: (h) => verify(h, a, f.srcBytes) });
  return changes(msg, steps, { result: { volid: volid(a) } });
}

/**
 * An appliance template in a Proxmox VE storage: downloaded by name (`pveam download`), or uploaded
 * from a tarball on the controller (`src`), verified by `pveam list`; `state: absent` removes it.
 * @example template({ storage: 'local', name: 'debian-12-php_12.0-1_amd64.tar.gz', src: 'build/debian-12-php_12.0-1_amd64.tar.gz' })
 */
export const template = defineModule({
  name: 'proxmox.template',
  description: 'Download (pveam) or upload an appliance template into a Proxmox VE storage, verified by pveam list',
  schema: templateSchema,
  async gather(h: Host, a: TemplateArgs): Promise<TemplateFacts> {
    const listed = await h.fact(pveamListFact, a.storage);
    if (!a.src || a.state === 'absent') return { listed };
    try {
      return { listed, srcBytes: statSync(resolve(a.src)).size };
    } catch (e) {
      throw new ArgumentError(`proxmox.template: field "src" has bad value ${JSON.stringify(a.src)}: ${(e as Error).message}`, 'src', a.src);
    }
  },
  plan: planTemplate,
});
