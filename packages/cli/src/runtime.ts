// The CLI bundle's CommonJS part (dist/bundle/shipshape.cjs, see bundle.mjs): the CLI and every
// package playbooks import, so they share one instance of each. A package initialises when first
// imported (by the CLI or a playbook), as ES modules would.
export { runBinary } from './cli.js';

export const packages = {
  core: () => import('@shipshape/core'),
  builtin: () => import('@shipshape/builtin'),
  inventory: () => import('@shipshape/inventory'),
  esxi: () => import('@shipshape/esxi'),
  openvz: () => import('@shipshape/openvz'),
  xen: () => import('@shipshape/xen'),
  proxmox: () => import('@shipshape/proxmox'),
  storage: () => import('@shipshape/storage'),
};
