/** Small helpers shared by the ESXi modules. */
import { ModuleError, sh, type Host } from '@shipshape/core';

/** `bootTime` from `vim-cmd hostsvc/hostsummary`: changes at every boot. */
export async function bootTime(host: Host): Promise<string> {
  const r = await host.run(sh`vim-cmd hostsvc/hostsummary`);
  const m = /^\s*bootTime = "([^"]+)"/m.exec(r.stdout);
  if (!m) throw new ModuleError(`${host.name}: vim-cmd hostsvc/hostsummary printed no bootTime`);
  return m[1]!;
}
