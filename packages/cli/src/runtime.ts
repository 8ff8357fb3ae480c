// The CLI bundle's CommonJS part (dist/bundle/shipshape.cjs, see bundle.mjs): the CLI and every
// package playbooks import, so they share one instance of each. A package initialises when first
// imported (by the CLI or a playbook), as ES modules would.
export { runBinary } from './cli.js';
export { packages } from './packages.js';
/** `@shipshape/core/module-kit` for playbooks and modules they define (dist/bundle/core/module-kit.js). */
export const moduleKit = () => import('@shipshape/core/module-kit');
