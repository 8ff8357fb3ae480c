/**
 * The Jinja engine loads on first use (nunjucks and the filters cost start-up time most runs never
 * need): `const jinja = await loadJinja()`, then render synchronously.
 */
export type JinjaEngine = typeof import('./engine.js');

let engine: Promise<JinjaEngine> | undefined;

/** Load the Jinja engine (once per process). */
export function loadJinja(): Promise<JinjaEngine> {
  engine ??= import('./engine.js');
  return engine;
}
