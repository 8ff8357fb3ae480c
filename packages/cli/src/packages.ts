/**
 * The packages the CLI ships: bundled with it (bundle.mjs), imported by playbooks from the bundle
 * (load.ts), and searched for modules (modules.ts). Each package with modules exports them as
 * `modules`; a package added here (and to package.json) is found everywhere.
 */
export const packages = {
  core: () => import('@shipshape/core'),
  builtin: () => import('@shipshape/builtin'),
  inventory: () => import('@shipshape/inventory'),
  esxi: () => import('@shipshape/esxi'),
  openvz: () => import('@shipshape/openvz'),
  xen: () => import('@shipshape/xen'),
  proxmox: () => import('@shipshape/proxmox'),
  storage: () => import('@shipshape/storage'),
  rescue: () => import('@shipshape/rescue'),
};

export type PackageName = keyof typeof packages;
