import { SourceMap, type SourceMapPayload } from 'node:module';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const INLINE_MAP = /\/\/# sourceMappingURL=data:application\/json;base64,([A-Za-z0-9+/=]+)\s*$/;
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Rewrite the stack frames of an error thrown by a compiled playbook module (`file`, compiled to
 * `code` with an inline source map) to TypeScript positions, as `--enable-source-maps` prints them.
 * Done on demand: Node's process-wide source maps read and parse the .map of every module loaded
 * after them (the CLI bundle's chunks), which costs every run ~10 ms of start-up.
 */
export function mapStack(e: unknown, file: string, code: string): unknown {
  if (!(e instanceof Error) || typeof e.stack !== 'string') return e;
  const inline = INLINE_MAP.exec(code);
  if (!inline) return e;
  let map: SourceMap;
  try {
    map = new SourceMap(JSON.parse(Buffer.from(inline[1]!, 'base64').toString('utf8')) as SourceMapPayload);
  } catch {
    return e;
  }
  const frame = new RegExp(`(?:${escapeRe(pathToFileURL(file).href)}|${escapeRe(file)}):(\\d+):(\\d+)`, 'g');
  e.stack = e.stack.replace(frame, (whole, line: string, column: string) => {
    const entry = map.findEntry(Number(line) - 1, Number(column) - 1);
    if (!('originalSource' in entry)) return whole;
    return `${resolve(dirname(file), entry.originalSource)}:${entry.originalLine + 1}:${entry.originalColumn + 1}`;
  });
  return e;
}
