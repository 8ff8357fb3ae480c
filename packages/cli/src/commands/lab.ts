// The testlab package is ESM loaded on demand (the CLI bundle is CommonJS; see bundle.mjs).
const testlab = () => import('@shipshape/testlab');

/** The lab id the CLI uses (tests use their own ids); keep in step with cli.ts. */
export const CLI_LAB_ID = 200;

export function labHosts(profiles: readonly string[], perProfile: number): { name: string; profile: string }[] {
  const list = profiles.length ? profiles : ['debian'];
  return list.flatMap((p) => Array.from({ length: perProfile }, (_, i) => ({ name: `${p}${i + 1}`, profile: p })));
}

export async function labUp(profiles: readonly string[], hosts: number, id = CLI_LAB_ID): Promise<string> {
  const lab = await (await testlab()).startLab({ id, hosts: labHosts(profiles, hosts), persistent: true });
  return lab.inventoryPath;
}

export async function labDown(id = CLI_LAB_ID): Promise<void> {
  await (await testlab()).stopLab(id);
}

export async function labInventory(id = CLI_LAB_ID): Promise<string> {
  const s = await (await testlab()).labStatus(id);
  if (!s) throw new Error(`no lab is running (start one with: shipshape lab up)`);
  return s.inventoryPath;
}
