export { main } from './cli.js';
export { EXIT, exitCodeOf, runWithReporters } from './execute.js';
export { loadPlaybook, parseExtraVars, describeLoadError } from './load.js';
export { plainReporter } from './reporters/plain.js';
export { jsonCollector } from './reporters/json.js';
export type { JsonDocument } from './reporters/json.js';
export { listrReporter } from './reporters/listr.js';
export { makeChalk, recapLines, renderDiffs } from './reporters/style.js';
export { moduleRegistry } from './modules.js';
