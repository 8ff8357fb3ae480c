/**
 * The Jinja engine loads on first use (nunjucks and the filters cost start-up time most runs never
 * need): `const jinja = await loadJinja()`, then render synchronously.
 */
export type JinjaEngine = typeof import('./engine.js');

let engine: Promise<JinjaEngine> | undefined;
let loaded: JinjaEngine | undefined;

/** Load the Jinja engine (once per process). */
export function loadJinja(): Promise<JinjaEngine> {
  engine ??= import('./engine.js').then((e) => (loaded = e));
  return engine;
}

/** The engine if `loadJinja()` has finished, for synchronous callers that loaded it beforehand. */
export function loadedJinja(): JinjaEngine | undefined {
  return loaded;
}
