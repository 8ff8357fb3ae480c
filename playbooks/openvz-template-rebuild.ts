/**
 * Rebuild an OpenVZ OS template with PHP on every host of group `openvz`: a temporary container
 * from `from`, package updates, PHP installed, `date.timezone` in php.ini, /etc/localtime and
 * LANG set (Debian paths, or /etc/php.ini and /etc/sysconfig/{clock,i18n} on the RHEL family,
 * picked by the container's os-release), then archived into the template cache as `to` (a name vzctl and Proxmox accept).
 * A second run changes nothing while `to` exists (`-e force=true` rebuilds). Where vzctl fails for
 * missing quota limits or UB parameters, they are repaired with `-e ub_preset=operators` (default:
 * KMEMSIZE 465M:512M, the rest unlimited) or `-e ub_preset=ve-basic` (vzctl's tight sample).
 *
 *   shipshape run playbooks/openvz-template-rebuild.ts -i inventory/openvz.ini \
 *     -e from=debian-12-minimal_12.0_amd64 -e to=debian-12-php_12.0-1_amd64.tar.gz \
 *     -e ctid=9999 -e ip=10.0.0.250 -e nameserver=10.0.0.1 -e timezone=Europe/Berlin -e lang=de_DE.UTF-8
 */
import { playbook, type TaskContext } from '@shipshape/core';
import { copy, file, iniFile, lineinfile, pkg } from '@shipshape/builtin';
import { templateRebuild, type UbcPreset } from '@shipshape/openvz';

const v = (ctx: TaskContext, key: string, fallback: string): string => String(ctx.vars[key] ?? fallback);

/** The rebuild's arguments from the vars (also used by playbooks/proxmox-template-publish.ts). */
export const rebuildArgs = (ctx: TaskContext) => {
  const tz = v(ctx, 'timezone', 'Europe/Berlin');
  const lang = v(ctx, 'lang', 'de_DE.UTF-8');
  return {
    from: v(ctx, 'from', 'debian-12-minimal_12.0_amd64'),
    to: v(ctx, 'to', 'debian-12-php_12.0-1_amd64.tar.gz'),
    ctid: Number(v(ctx, 'ctid', '9999')),
    ip: ctx.vars.ip === undefined ? undefined : String(ctx.vars.ip),
    nameserver: v(ctx, 'nameserver', 'inherit').split(','),
    update: v(ctx, 'update', 'true') !== 'false',
    force: v(ctx, 'force', 'false') === 'true',
    ubcPreset: v(ctx, 'ub_preset', 'operators') as UbcPreset,
    // Picked by the container's os-release (or /etc/redhat-release on CentOS 6).
    customize: {
      debian: [
        pkg({ name: 'php', state: 'present' }),
        // Reuses php.ini's commented-out `;date.timezone =` line in [Date].
        iniFile({ path: '/etc/php/8.2/cli/php.ini', section: 'Date', option: 'date.timezone', value: tz }, { name: 'date.timezone in php.ini' }),
        file({ path: '/etc/localtime', state: 'link', src: `/usr/share/zoneinfo/${tz}`, force: true }),
        copy({ dest: '/etc/timezone', content: `${tz}\n` }),
        lineinfile({ path: '/etc/default/locale', regexp: '^LANG=', line: `LANG=${lang}`, create: true }, { name: 'LANG' }),
      ],
      rhel: [
        pkg({ name: 'php', state: 'present' }),
        iniFile({ path: '/etc/php.ini', section: 'Date', option: 'date.timezone', value: tz }, { name: 'date.timezone in php.ini' }),
        file({ path: '/etc/localtime', state: 'link', src: `/usr/share/zoneinfo/${tz}`, force: true }),
        lineinfile({ path: '/etc/sysconfig/clock', regexp: '^ZONE=', line: `ZONE="${tz}"`, create: true }, { name: 'ZONE' }),
        lineinfile({ path: '/etc/sysconfig/i18n', regexp: '^LANG=', line: `LANG="${lang}"`, create: true }, { name: 'LANG' }),
      ],
    },
  };
};

export default playbook({
  name: 'Rebuild an OpenVZ template with PHP',
  hosts: 'openvz',
  tasks: [
    templateRebuild(rebuildArgs, { name: 'rebuild template' }),
  ],
});
