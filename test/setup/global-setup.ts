// jest globalSetup (integration project): must be root, sshd must exist (installed with apt-get
// when missing), labs left by crashed runs are removed. Each test file starts its own lab.
// jest loads global setup through require(), which needs the extension-less path.
// @ts-expect-error TS2835 (NodeNext wants './run-lab-admin.js', which require() cannot find)
import { runLabAdmin } from './run-lab-admin';

export default async function globalSetup(): Promise<void> {
  runLabAdmin('setup');
}
