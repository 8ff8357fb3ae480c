/**
 * Publish the rebuilt OpenVZ template to Proxmox VE: on one OpenVZ node (group `openvz`, the first
 * one) the template is rebuilt as playbooks/openvz-template-rebuild.ts does (same vars) and fetched
 * to the controller; then on every Proxmox node (group `proxmox`) it is uploaded into the storage's
 * `vztmpl` content (verified by `pveam list`) and a test container is created from it and started,
 * and must run a command inside (`pct exec`). A second run changes nothing (the template exists
 * there with the same size, the container runs).
 *
 * Vars: those of openvz-template-rebuild.ts (`to`: the template's file name, default
 * debian-12-php_12.0-1_amd64.tar.gz), template_cache (the OpenVZ node's cache, default
 * /var/lib/vz/template/cache), publish_dir (controller directory for the fetched template, default
 * /var/tmp/shipshape-templates), pve_storage (template storage, default local), ct_storage (root fs
 * of the test container, default local), test_ctid (default 9990), test_hostname (default tmpl-test).
 *
 *   shipshape run playbooks/proxmox-template-publish.ts -i inventory/hosts.ini -e ct_storage=local-lvm -v
 */
import { cmd, ModuleError, playbook, task, type TaskContext } from '@shipshape/core';
import { fetch } from '@shipshape/builtin';
import { templateRebuild } from '@shipshape/openvz';
import { container, template } from '@shipshape/proxmox';
import { rebuildArgs } from './openvz-template-rebuild.js';

const v = (ctx: TaskContext, key: string, fallback: string): string => String(ctx.vars[key] ?? fallback);
const name = (ctx: TaskContext) => rebuildArgs(ctx).to;
const publishDir = (ctx: TaskContext) => v(ctx, 'publish_dir', '/var/tmp/shipshape-templates');
const ctid = (ctx: TaskContext) => Number(v(ctx, 'test_ctid', '9990'));

export default playbook({
  name: 'Publish the rebuilt OpenVZ template to the Proxmox nodes',
  plays: [
    {
      name: 'Rebuild the template on one OpenVZ node and bring it to the controller',
      hosts: 'openvz',
      tasks: [
        templateRebuild(rebuildArgs, { name: 'rebuild template', runOnce: true }),
        fetch((ctx) => ({ src: `${v(ctx, 'template_cache', '/var/lib/vz/template/cache')}/${name(ctx)}`, dest: `${publishDir(ctx)}/`, flat: true }),
          { name: 'fetch the template to the controller', runOnce: true }),
      ],
    },
    {
      name: 'Upload it to every Proxmox node and start a container from it',
      hosts: 'proxmox',
      tasks: [
        template((ctx) => ({ storage: v(ctx, 'pve_storage', 'local'), name: name(ctx), src: `${publishDir(ctx)}/${name(ctx)}` }),
          { name: 'upload the template' }),
        container((ctx) => ({
          vmid: ctid(ctx), ostemplate: `${v(ctx, 'pve_storage', 'local')}:vztmpl/${name(ctx)}`, storage: v(ctx, 'ct_storage', 'local'),
          hostname: v(ctx, 'test_hostname', 'tmpl-test'), memory: 256, swap: 0, state: 'running',
        }), { name: 'test container from the template' }),
        task('the test container runs', async (h, ctx) => {
          const r = await h.run(cmd('pct', 'exec', String(ctid(ctx)), '--', 'cat', '/etc/os-release'), { allowFail: true });
          if (r.code !== 0) throw new ModuleError(`CT ${ctid(ctx)} does not run commands: ${r.stderr.trim() || `exit ${r.code}`}`);
          return { changed: false, msg: `CT ${ctid(ctx)} runs: ${/^PRETTY_NAME="?([^"\n]*)/m.exec(r.stdout)?.[1] ?? 'no PRETTY_NAME'}` };
        }),
      ],
    },
  ],
});
