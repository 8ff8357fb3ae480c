// @shipshape/core/module-kit: the pieces a module's facts and plans are built from, beyond the
// playbook API of @shipshape/core. Stable for modules of this repository and yours; not for playbooks.
export { STAT_FORMAT } from './internal/probe.js';
export { normalizeMode, readFileCommand, parseReadFile, sameId } from './internal/file-commands.js';
export { batchCommand } from './internal/prefetch.js';
export { shlexSplit } from './internal/shlex.js';
