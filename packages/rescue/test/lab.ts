/** Helpers of the rescue integration tests (lab ids 180-184). */
import net from 'node:net';
import type { Lab, LabHost } from '@shipshape/testlab';

/**
 * Write a VM's .vmx on the shared datastore (`/vmfs/volumes/shared/<name>/<name>.vmx`) from inside
 * `host`; `shutdown` is the seconds its guest shutdown takes (`lab.guestShutdownSeconds`).
 */
export async function makeVm(lab: Lab, host: string, name: string, shutdown = '1'): Promise<string> {
  const dir = `/vmfs/volumes/shared/${name}`;
  const vmx = `displayName = "${name}"\nguestOS = "debian10-64"\nvirtualHW.version = "14"\nlab.guestShutdownSeconds = "${shutdown}"\n`;
  const r = await lab.exec(host, `mkdir -p ${dir} && cat > ${dir}/${name}.vmx`, { stdin: vmx });
  if (r.code !== 0) throw new Error(`makeVm ${name}: ${r.stderr}`);
  return `${dir}/${name}.vmx`;
}

/** Connect to a host's sshd port: 'open' or the error code (ECONNREFUSED when nothing listens). */
export function tcpState({ address, port }: Pick<LabHost, 'address' | 'port'>): Promise<string> {
  return new Promise((resolve) => {
    const s = net.connect(port, address, () => { s.destroy(); resolve('open'); });
    s.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
  });
}
