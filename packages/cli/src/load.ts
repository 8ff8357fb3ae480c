import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve as resolvePath } from 'node:path';
import { pathToFileURL } from 'node:url';
import { register } from 'tsx/esm/api';
import { parse as parseYaml } from 'yaml';
import { PlaybookError, type PlaybookDef, type Vars } from '@shipshape/core';

let registered = false;
/** Process-wide tsx hooks: playbooks share the CLI's module instances (one @shipshape/core). */
function registerOnce(): void {
  if (!registered) register();
  registered = true;
}

/**
 * Load a TypeScript playbook without a build step, through tsx (esbuild): it starts in tens of
 * milliseconds and needs no tsconfig, where ts-node would type-check on every run.
 */
export async function loadPlaybook(file: string): Promise<PlaybookDef> {
  const path = isAbsolute(file) ? file : resolvePath(file);
  let mod: { default?: unknown };
  try {
    registerOnce();
    mod = (await import(pathToFileURL(path).href)) as { default?: unknown };
  } catch (e) {
    throw new PlaybookError(`${describeLoadError(e, path)}`, path, { cause: e });
  }
  const pb = (mod.default as { default?: unknown } | undefined)?.default ?? mod.default;
  if (!pb || (pb as PlaybookDef).kind !== 'playbook') {
    throw new PlaybookError(`${path}: the default export is not a playbook (export default playbook({...}))`, path);
  }
  return pb as PlaybookDef;
}

/** file:line:column and the message, from esbuild syntax errors or a stack frame in the playbook. */
export function describeLoadError(e: unknown, path: string): string {
  const err = e as Error & { errors?: { text: string; location?: { file: string; line: number; column: number; lineText?: string } }[] };
  // esbuild's message: "Transform failed with 1 error:\n/path/file.ts:6:9: ERROR: Expected ..."
  const located = /^(\/[^\n]*?\.[cm]?tsx?):(\d+):(\d+): ERROR: (.*)$/m.exec(err.message ?? '');
  if (located) return `${located[1]}:${located[2]}:${Number(located[3]) + 1}: ${located[4]}`;
  const first = err.errors?.[0];
  if (first?.location) {
    const l = first.location;
    return `${path}:${l.line}:${l.column + 1}: ${first.text}${l.lineText ? `\n    ${l.lineText}` : ''}`;
  }
  const frame = err.stack?.split('\n').find((l) => l.includes(path));
  const m = frame && /:(\d+):(\d+)\)?$/.exec(frame);
  const msg = err.message?.split('\n')[0] ?? String(e);
  return m ? `${path}:${m[1]}:${m[2]}: ${msg}` : `${path}: ${msg}`;
}

/** Ansible-style extra vars: `k=v k2=v2`, `@file.json|yaml`, or a JSON/YAML object. Later wins. */
export async function parseExtraVars(list: readonly string[]): Promise<Vars> {
  const out: Vars = {};
  for (const item of list) {
    if (item.startsWith('@')) {
      const file = item.slice(1);
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (e) {
        throw new PlaybookError(`-e ${item}: cannot read ${file}: ${(e as Error).message}`, file);
      }
      Object.assign(out, parseYaml(text) ?? {});
    } else if (/^\s*[{[]/.test(item)) {
      Object.assign(out, parseYaml(item));
    } else {
      for (const m of item.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|'[^']*'|\S*)/g)) {
        out[m[1]!] = m[2]!.replace(/^(["'])(.*)\1$/, '$2');
      }
    }
  }
  return out;
}
