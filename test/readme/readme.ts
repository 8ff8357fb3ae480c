/**
 * What README.md tells a user to run, read from its Markdown (readme.test.ts runs it):
 * - every line of a ```sh / ```bash / ```shell / ```console block (`$ ` prompts dropped, `\` joined);
 * - inline code in a table column whose header says "command";
 * - inline code elsewhere of two words or more whose first (after VAR=value) is a program of the
 *   workflow (PROGRAMS); other inline code (paths, snippets such as `kill -HUP`, patterns with `…`) is prose.
 * A ```ts block whose first line is `// path` shows that file; a bare ``` block of `shipshape …` lines is
 * the CLI synopsis. A bare block of anything else is a problem: the test cannot tell commands from output.
 */
export interface ReadmeCommand {
  readonly text: string;
  /** 1-based README lines the command appears on. */
  readonly lines: number[];
}
export interface FileBlock {
  readonly path: string;
  readonly text: string;
  readonly line: number;
}
export interface Synopsis {
  /** The subcommand words, e.g. `lab up`. */
  readonly command: string;
  readonly options: string[];
  readonly line: number;
}

const PROGRAMS = /^(shipshape|npx|npm|bash|sh|node|ansible|ansible-playbook|ansible-inventory|ansible-vault)$/;
const SHELL_BLOCK = /^(sh|bash|shell|console)$/;
const ENV_ASSIGNMENT = /^[A-Z_][A-Z0-9_]*=\S*$/;

const words = (text: string) => text.trim().split(/\s+/);
const program = (text: string) => words(text).find((w) => !ENV_ASSIGNMENT.test(w)) ?? '';
const inlineCode = (text: string) => [...text.matchAll(/(`+)(.+?)\1/g)].map((m) => m[2]!.trim());
/** Prose code that reads as a command: two words or more, a program first, no `…` placeholder. */
const proseCommand = (code: string) => words(code).length > 1 && PROGRAMS.test(program(code)) && !/…|\.\.\./.test(code);
/** `lab up` and `lab down` change what later commands see: each occurrence runs. */
const STATEFUL = /\blab (up|down)\b/;
const cells = (row: string) => row.trim().replace(/^\||\|$/g, '').split('|');

export function parseReadme(markdown: string): { commands: ReadmeCommand[]; files: FileBlock[]; synopsis: Synopsis[]; problems: string[] } {
  const lines = markdown.split('\n');
  const byText = new Map<string, number[]>();
  const add = (text: string, line: number) => {
    for (const part of text.split(/\s+&&\s+/).map((x) => x.trim())) {
      const key = STATEFUL.test(part) ? `${part}\u0000${line}` : part;
      byText.set(key, [...new Set([...(byText.get(key) ?? []), line])]);
    }
  };
  const files: FileBlock[] = [];
  const synopsis: Synopsis[] = [];
  const problems: string[] = [];
  let commandColumns: number[] = [];
  for (let i = 0; i < lines.length; i++) {
    const fence = /^```(\S*)\s*$/.exec(lines[i]!);
    if (fence) {
      const start = i + 1;
      const body: string[] = [];
      for (i++; i < lines.length && !/^```\s*$/.test(lines[i]!); i++) body.push(lines[i]!);
      const lang = fence[1]!;
      if (SHELL_BLOCK.test(lang)) {
        for (const [n, text] of logicalLines(body, (l) => l.endsWith('\\'), (l) => l.replace(/\\$/, ''))) {
          const t = text.replace(/^\$\s+/, '').trim();
          if (t && !t.startsWith('#')) add(t, start + 1 + n);
        }
      } else if (/^(ts|typescript)$/.test(lang)) {
        const named = /^\/\/ (\S+\.[cm]?[jt]s)$/.exec(body[0] ?? '');
        if (named) files.push({ path: named[1]!, text: body.join('\n'), line: start + 1 });
      } else if (lang === '') {
        const entries = logicalLines(body, (_l, next) => next !== undefined && /^\s/.test(next), (l) => l);
        if (entries.length && entries.every(([, t]) => t.startsWith('shipshape '))) {
          for (const [n, t] of entries) synopsis.push(synopsisOf(t, start + 1 + n));
        } else {
          problems.push(`README.md:${start}: a code block without a language: mark it \`\`\`sh (commands a user runs) or \`\`\`text (output)`);
        }
      }
      continue;
    }
    const line = lines[i]!;
    if (line.trim().startsWith('|') && /^\s*\|[\s|:-]+\|\s*$/.test(lines[i + 1] ?? '')) {
      commandColumns = cells(line).flatMap((c, n) => (/command/i.test(c) ? [n] : []));
      i++;
      continue;
    }
    const row = line.trim().startsWith('|');
    if (!row) commandColumns = [];
    const parts = row ? cells(line) : [line];
    parts.forEach((cell, n) => {
      for (const code of inlineCode(cell)) if ((row && commandColumns.includes(n)) || proseCommand(code)) add(code, i + 1);
    });
  }
  return { commands: [...byText].map(([key, l]) => ({ text: key.split('\u0000')[0]!, lines: l })), files, synopsis, problems };
}

/** Join continuation lines; returns [index of the first line, text]. */
function logicalLines(body: string[], continues: (line: string, next?: string) => boolean, strip: (line: string) => string): [number, string][] {
  const out: [number, string][] = [];
  for (let n = 0; n < body.length; n++) {
    const first = n;
    let text = strip(body[n]!);
    while (continues(body[n]!, body[n + 1]) && n + 1 < body.length) text = `${text.trimEnd()} ${strip(body[++n]!).trim()}`;
    out.push([first, text]);
  }
  return out;
}

function synopsisOf(text: string, line: number): Synopsis {
  const ws = words(text).slice(1);
  const command = ws.slice(0, ws.findIndex((w) => !/^[a-z]+$/.test(w)) >>> 0).join(' ');
  // `-v|-vv|-vvv` is one flag given several times.
  const options = [...new Set([...text.matchAll(/(?<![\w@/.-])(--?[a-zA-Z][\w-]*)/g)].map((m) => m[1]!.replace(/^-(\w)\1+$/, '-$1')))];
  return { command, options, line };
}

export type Classified =
  | { type: 'run'; inventory: boolean; lab: 'fixture' | 'scratch' }
  | { type: 'excluded'; reason: string }
  | { type: 'delegated'; test: string; reason: string; mustContain: string[] }
  | { type: 'unknown' };

/** How the test runs a README command. */
export function classify(text: string): Classified {
  const t = words(text).filter((w, n, all) => !ENV_ASSIGNMENT.test(w) || all.slice(0, n).some((x) => !ENV_ASSIGNMENT.test(x))).join(' ');
  if (t === 'npm test') return { type: 'excluded', reason: 'it is the command running this test (the whole suite)' };
  if (t === 'npm run demo') {
    return { type: 'delegated', test: 'test/demo/demo.test.ts', reason: 'the demo has its own test, which runs exactly this command', mustContain: ["spawnSync('npm', ['run', 'demo']"] };
  }
  if (/^npm run bench( -- (--[a-z-]+ \S+ ?)+)?$/.test(t)) {
    return {
      type: 'delegated', test: 'test/bench/bench.test.ts', reason: 'full-size benchmarks take many minutes; its test runs bench/run.mjs at 2 hosts, 1 repetition',
      mustContain: ['bench/run.mjs', ...[...t.matchAll(/--[a-z-]+(?= )/g)].map((m) => `'${m[0]}'`)],
    };
  }
  const shipshape = /^(npx shipshape|npm exec shipshape( --)?|shipshape)( |$)/.exec(t);
  if (shipshape) return { type: 'run', inventory: true, lab: /^lab( |$)/.test(t.slice(shipshape[0].length)) ? 'scratch' : 'fixture' };
  if (/^ansible(-playbook|-inventory)? /.test(t)) return { type: 'run', inventory: true, lab: 'fixture' };
  if (/^(bash|sh) scripts\/[\w-]+\.sh$/.test(t) || /^npm run [\w:-]+$/.test(t) || /^node /.test(t)) return { type: 'run', inventory: false, lab: 'fixture' };
  return { type: 'unknown' };
}

/** `-i X` / `--inventory X` / `--inventory=X` become the lab's inventory, unless X already asks the lab. */
export function substituteInventory(text: string, inventory: string): string {
  return text.replace(/(^|\s)(-i|--inventory)(\s+|=)(\S+)/g, (all, pre: string, flag: string, sep: string, value: string) =>
    value.startsWith('$(') ? all : `${pre}${flag}${sep}${inventory}`);
}
