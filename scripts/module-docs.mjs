#!/usr/bin/env node
// The module reference, generated from the modules themselves (after `npm run build`):
// - each package README's part between `<!-- modules -->` and `<!-- /modules -->`: every module of the
//   package's `modules` with its import, description, the factory's TSDoc `@example`s and a table of its
//   options read from its zod schema (type, default, aliases, `.describe()` text), as `shipshape doc` prints them;
// - packages/cli/src/module-examples.ts: the `@example`s by module name, for `shipshape doc MODULE`.
// Every option must have both its `.describe()` text and TSDoc on the factory's argument type (what an
// editor shows on hover); one missing fails the script, naming the module and the option.
// `node scripts/module-docs.mjs --check` changes nothing and exits 1 when a file is not what it would write
// (test/docs/module-docs.test.ts runs it).
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const check = process.argv.includes('--check');
const { moduleRegistry } = await import(join(root, 'packages/cli/dist/modules.js'));
const { moduleOptions } = await import(join(root, 'packages/cli/dist/commands/doc.js'));

const registry = await moduleRegistry();
const byPackage = new Map();
for (const [name, entry] of registry) {
  const pkg = entry.packageName.replace('@shipshape/', '');
  if (!byPackage.has(pkg)) byPackage.set(pkg, []);
  byPackage.get(pkg).push({ name, ...entry });
}

// The TSDoc of each factory, found through the package's index as its users' editors find it.
const indexOf = (pkg) => join(root, 'packages', pkg, 'src/index.ts');
const program = ts.createProgram([...byPackage.keys()].map(indexOf), {
  module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, noEmit: true, strict: true,
});
const checker = program.getTypeChecker();
function factoryDoc(pkg, exportName) {
  const source = program.getSourceFile(indexOf(pkg));
  const moduleSymbol = source && checker.getSymbolAtLocation(source);
  let symbol = moduleSymbol && checker.getExportsOfModule(moduleSymbol).find((s) => s.name === exportName);
  if (!symbol) return { summary: '', examples: [] };
  if (symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
  const summary = ts.displayPartsToString(symbol.getDocumentationComment(checker)).trim();
  const examples = symbol.getJsDocTags(checker).filter((t) => t.name === 'example').map((t) => ts.displayPartsToString(t.text).trim()).filter(Boolean);
  return { summary, examples };
}

/** The TSDoc an editor shows on hover for each option of the factory's argument (`envFile({ path: … })`). */
function hoverDocs(pkg, exportName) {
  const source = program.getSourceFile(indexOf(pkg));
  let symbol = checker.getExportsOfModule(checker.getSymbolAtLocation(source)).find((s) => s.name === exportName);
  if (symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
  const param = checker.getTypeOfSymbol(symbol).getCallSignatures()[0]?.parameters[0];
  const docs = new Map();
  if (!param) return docs;
  const type = checker.getTypeOfSymbol(param);
  // Dynamic<Args>: the args object, or a function of the task context returning it.
  for (const t of type.isUnion() ? type.types : [type]) {
    if (t.getCallSignatures().length) continue;
    for (const p of checker.getPropertiesOfType(t)) docs.set(p.name, ts.displayPartsToString(p.getDocumentationComment(checker)).trim());
  }
  return docs;
}

// Each option's text must reach both readers: `.describe()` for `shipshape doc` and this reference,
// TSDoc for the editor's hover on the factory's argument.
const undocumented = [];
for (const [pkg, mods] of byPackage) {
  for (const m of mods) {
    const hover = hoverDocs(pkg, m.exportName);
    for (const o of moduleOptions(m.factory.module.schema)) {
      if (!o.description) undocumented.push(`${m.name}: option "${o.name}" has no .describe() text (shipshape doc shows none)`);
      if (!hover.get(o.name)) undocumented.push(`${m.name}: option "${o.name}" has no TSDoc on ${m.exportName}'s argument (editor hover shows none)`);
    }
  }
}
if (undocumented.length) {
  console.error(`Options without their description:\n  ${undocumented.join('\n  ')}`);
  process.exit(1);
}

const cell = (text) => String(text).replace(/\|/g, '\\|').replace(/\n/g, ' ');
const code = (text) => `\`${String(text).replace(/\|/g, '\\|')}\``;
function moduleSection(m) {
  const doc = factoryDoc(m.packageName.replace('@shipshape/', ''), m.exportName);
  const def = m.factory.module;
  const out = [`### ${m.name}`, '', `\`import { ${m.exportName} } from '${m.packageName}'\`: ${def.description}.`, ''];
  if (doc.summary && doc.summary.replace(/\s+/g, ' ') !== def.description) out.push(doc.summary, '');
  for (const e of doc.examples) out.push('```ts', e, '```', '');
  const options = moduleOptions(def.schema);
  if (!options.length) out.push('No options.', '');
  else {
    out.push('| option | type | default | description |', '|---|---|---|---|');
    const rows = (list, prefix) => {
      for (const o of list) {
        const name = `${code(prefix + o.name)}${o.required ? ' (required)' : ''}${o.aliases?.length ? `<br>aliases: ${o.aliases.map(code).join(', ')}` : ''}`;
        out.push(`| ${name} | ${cell(o.type)} | ${o.default === undefined ? '' : code(JSON.stringify(o.default))} | ${cell(o.description ?? '')} |`);
        if (o.suboptions) rows(o.suboptions, `${prefix}${o.name}.`);
      }
    };
    rows(options, '');
    out.push('');
  }
  return { text: out.join('\n'), examples: doc.examples };
}

const wanted = new Map();
const examples = {};
const START = '<!-- modules -->';
const END = '<!-- /modules -->';
for (const [pkg, mods] of [...byPackage].sort(([a], [b]) => a.localeCompare(b))) {
  const file = join(root, 'packages', pkg, 'README.md');
  const text = readFileSync(file, 'utf8');
  const a = text.indexOf(START);
  const b = text.indexOf(END);
  if (a < 0 || b < a) {
    console.error(`${file}: no ${START} … ${END} part for the module reference`);
    process.exit(1);
  }
  const sections = mods.sort((x, y) => x.name.localeCompare(y.name)).map(moduleSection);
  mods.forEach((m, i) => { if (sections[i].examples.length) examples[m.name] = sections[i].examples; });
  const body = `${START}\n<!-- generated by scripts/module-docs.mjs from the modules' schemas and TSDoc: edit those, then run npm run docs -->\n\n${sections.map((s) => s.text).join('\n')}${END}`;
  wanted.set(file, text.slice(0, a) + body + text.slice(b + END.length));
}
const sorted = Object.fromEntries(Object.keys(examples).sort().map((k) => [k, examples[k]]));
wanted.set(join(root, 'packages/cli/src/module-examples.ts'),
  `// Generated by scripts/module-docs.mjs from the @example tags of the module factories' TSDoc: do not edit.\n` +
  `export const moduleExamples: Readonly<Record<string, readonly string[]>> = ${JSON.stringify(sorted, null, 2)};\n`);

const stale = [...wanted].filter(([file, text]) => readFileSync(file, 'utf8') !== text).map(([file]) => file.slice(root.length + 1));
if (check) {
  if (stale.length) {
    console.error(`The module reference differs from the modules: ${stale.join(', ')}.\nRegenerate it with: npm run build && npm run docs`);
    process.exit(1);
  }
} else {
  for (const [file, text] of wanted) writeFileSync(file, text);
  console.log(stale.length ? `wrote ${stale.join(', ')}` : 'module reference up to date');
}
