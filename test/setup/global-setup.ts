// jest globalSetup (integration project): must be root, sshd must exist (installed with apt-get
// when missing), labs left by crashed runs are removed. Each test file starts its own lab.
import { runLabAdmin } from './run-lab-admin';

export default async function globalSetup(): Promise<void> {
  runLabAdmin('setup');
}
