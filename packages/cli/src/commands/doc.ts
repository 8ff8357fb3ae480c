import { ArgumentError, moduleName, type ModuleEntry } from '@shipshape/core';
import type { z } from 'zod';
import { moduleExamples } from '../module-examples.js';
import { moduleRegistry } from '../modules.js';
import { packages, type PackageName } from '../packages.js';

/** One option of a module, read from its zod schema. */
export interface OptionDoc {
  readonly name: string;
  readonly type: string;
  readonly required: boolean;
  readonly default?: unknown;
  readonly description?: string;
  /** Other names the option is accepted under (Ansible's aliases, e.g. `dest` for `path`). */
  readonly aliases?: readonly string[];
  /** The options of a dict option (or of a list of dicts), as ansible-doc's suboptions. */
  readonly suboptions?: readonly OptionDoc[];
}

type Def = { typeName?: string; description?: string; aliases?: Readonly<Record<string, string>>; [k: string]: unknown };
const defOf = (s: z.ZodTypeAny): Def => s._def as Def;

/**
 * Peel wrappers (preprocess, refine, optional, default, nullable) off a schema, keeping what they say:
 * optional, default, description, and the alias map (alias → option) a preprocess step carries as `aliases`.
 */
function peel(schema: z.ZodTypeAny): { inner: z.ZodTypeAny; optional: boolean; default?: unknown; description?: string; aliases: Record<string, string> } {
  let s = schema;
  let optional = false;
  let dflt: unknown;
  let description: string | undefined;
  const aliases: Record<string, string> = {};
  for (;;) {
    const d = defOf(s);
    description ??= d.description;
    if (d.aliases) Object.assign(aliases, d.aliases);
    if (d.typeName === 'ZodOptional' || d.typeName === 'ZodNullable') {
      optional = true;
      s = d.innerType as z.ZodTypeAny;
    } else if (d.typeName === 'ZodDefault') {
      optional = true;
      dflt = (d.defaultValue as () => unknown)();
      s = d.innerType as z.ZodTypeAny;
    } else if (d.typeName === 'ZodEffects') s = d.schema as z.ZodTypeAny;
    else if (d.typeName === 'ZodPipeline') s = d.in as z.ZodTypeAny;
    else if (d.typeName === 'ZodLazy') s = (d.getter as () => z.ZodTypeAny)();
    else if (d.typeName === 'ZodBranded' || d.typeName === 'ZodReadonly' || d.typeName === 'ZodCatch') s = (d.type ?? d.innerType) as z.ZodTypeAny;
    else break;
  }
  return { inner: s, optional, default: dflt, description: description ?? defOf(s).description, aliases };
}

/** A short type name: str, int, number, bool, list of str, dict, one of a, b. */
export function typeName(schema: z.ZodTypeAny): string {
  const d = defOf(peel(schema).inner);
  switch (d.typeName) {
    case 'ZodString': return 'str';
    case 'ZodNumber': return (d.checks as { kind: string }[] | undefined)?.some((c) => c.kind === 'int') ? 'int' : 'number';
    case 'ZodBigInt': return 'int';
    case 'ZodBoolean': return 'bool';
    case 'ZodEnum': return `one of ${(d.values as string[]).join(', ')}`;
    case 'ZodNativeEnum': return `one of ${Object.values(d.values as object).join(', ')}`;
    case 'ZodLiteral': return JSON.stringify(d.value);
    case 'ZodArray': return `list of ${typeName(d.type as z.ZodTypeAny)}`;
    case 'ZodTuple': return 'list';
    case 'ZodObject': case 'ZodRecord': case 'ZodMap': return 'dict';
    case 'ZodUnion': case 'ZodDiscriminatedUnion': {
      const names = [...new Set((d.options as z.ZodTypeAny[]).map(typeName))];
      // Ansible's booleans (true, 'yes', 'on', 1...) are one type.
      return names.includes('bool') && names.every((n) => n === 'bool' || n.startsWith('one of ')) ? 'bool' : names.join(' | ');
    }
    default: return 'any';
  }
}

/** The options of a module's argument schema (an object, possibly wrapped, or a union of objects). */
export function moduleOptions(schema: z.ZodTypeAny): OptionDoc[] {
  const top = peel(schema);
  const d = defOf(top.inner);
  if (d.typeName === 'ZodUnion' || d.typeName === 'ZodDiscriminatedUnion') {
    const lists = (d.options as z.ZodTypeAny[]).map(moduleOptions);
    const byName = new Map<string, OptionDoc>();
    for (const o of lists.flat()) {
      const required = lists.every((l) => l.some((x) => x.name === o.name && x.required));
      const prev = byName.get(o.name);
      const aliases = [...new Set([...(prev?.aliases ?? []), ...(o.aliases ?? [])])];
      byName.set(o.name, { ...o, ...prev, required, description: prev?.description ?? o.description, ...(aliases.length ? { aliases } : {}) });
    }
    return [...byName.values()];
  }
  if (d.typeName !== 'ZodObject') return [];
  const shape = (d.shape as () => Record<string, z.ZodTypeAny>)();
  return Object.entries(shape).map(([name, s]) => {
    const p = peel(s);
    const aliases = Object.keys(top.aliases).filter((alias) => top.aliases[alias] === name);
    const suboptions = moduleOptions(elementOf(p.inner));
    return {
      name,
      type: typeName(s),
      required: !p.optional,
      ...(p.default === undefined ? {} : { default: p.default }),
      ...(p.description ? { description: p.description } : {}),
      ...(aliases.length ? { aliases } : {}),
      ...(suboptions.length ? { suboptions } : {}),
    };
  });
}

/** The element schema of a list schema, else the schema itself. */
function elementOf(schema: z.ZodTypeAny): z.ZodTypeAny {
  const d = defOf(schema);
  return d.typeName === 'ZodArray' ? peel(d.type as z.ZodTypeAny).inner : schema;
}

/** Edit distance, for "close names" suggestions. */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length]!;
}

/** Known names close to `name`: a small edit distance, or one containing the other. */
export function closeNames(name: string, known: readonly string[]): string[] {
  const n = name.toLowerCase();
  return known
    .map((k) => ({ k, d: distance(n, k) }))
    .filter(({ k, d }) => d <= Math.max(2, Math.floor(n.length / 3)) || (n.length >= 3 && (k.includes(n) || n.includes(k))))
    .sort((x, y) => x.d - y.d || x.k.localeCompare(y.k))
    .map(({ k }) => k);
}

/** Words of `text` in lines of at most `width` characters (a longer word stands alone). */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const word of text.split(' ')) {
    const last = lines.length - 1;
    if (last >= 0 && lines[last]!.length + 1 + word.length <= width) lines[last] += ` ${word}`;
    else lines.push(word);
  }
  return lines;
}

/**
 * ansible-doc's page for one module: description, each option with its text, aliases, type and
 * required/default, how to import and run it, and the examples of the factory's TSDoc.
 */
export function renderModuleDoc(entry: ModuleEntry, aliases: readonly string[] = [], examples: readonly string[] = []): string {
  const m = entry.factory.module;
  const out = [`> ${m.name.toUpperCase()}`, '', `  ${m.description}`, '', 'OPTIONS (= is mandatory):', ''];
  const options = moduleOptions(m.schema);
  if (!options.length) out.push('  (none)', '');
  const render = (list: readonly OptionDoc[], indent: string): void => {
    for (const o of list) {
      out.push(`${indent}${o.required ? '=' : '-'} ${o.name}`);
      if (o.description) out.push(...wrap(o.description, 92 - indent.length).map((l) => `${indent}        ${l}`));
      if (o.aliases?.length) out.push(`${indent}        aliases: [${o.aliases.join(', ')}]`);
      out.push(`${indent}        type: ${o.type}${o.default === undefined ? '' : `, default: ${JSON.stringify(o.default)}`}`, '');
      if (o.suboptions) {
        out.push(`${indent}        suboptions:`, '');
        render(o.suboptions, `${indent}        `);
      }
    }
  };
  render(options, '');
  const required = options.filter((o) => o.required);
  out.push(
    'USAGE:',
    '',
    `  import { ${entry.exportName} } from '${entry.packageName}';${aliases.length ? `  // also exported as ${aliases.join(', ')}` : ''}`,
    `  shipshape adhoc PATTERN -i INV -m ${m.name}${required.length ? ` -a '${required.map((o) => `${o.name}=…`).join(' ')}'` : ''}`,
    '',
  );
  if (examples.length) {
    out.push('EXAMPLES:', '');
    for (const e of examples) out.push(...e.split('\n').map((l) => (l ? `  ${l}` : '')), '');
  }
  return out.join('\n');
}

/** `shipshape doc [MODULE]`: every module with its description, or one module's page. */
export async function docCommand(a: { readonly module?: string }): Promise<string> {
  const registry = await moduleRegistry();
  if (a.module === undefined) {
    const names = [...registry.keys()].sort();
    const width = Math.max(...names.map((n) => n.length));
    return names.map((n) => `${n.padEnd(width)}  ${registry.get(n)!.factory.module.description}`).join('\n');
  }
  const name = moduleName(a.module);
  const entry = registry.get(name);
  if (!entry) {
    const close = closeNames(name, [...registry.keys()]);
    throw new ArgumentError(
      `module ${JSON.stringify(name)} not found${close.length ? `; close names: ${close.join(', ')}` : ''} (\`shipshape doc\` lists every module)`,
      'module',
      name,
    );
  }
  const pkg = (await packages[entry.packageName.replace('@shipshape/', '') as PackageName]()) as Record<string, unknown>;
  const aliases = Object.keys(pkg).filter((k) => pkg[k] === entry.factory && k !== entry.exportName);
  return renderModuleDoc(entry, aliases, moduleExamples[name] ?? []);
}
