import { describe, expect, it } from '@jest/globals';
import { cli } from '../support/cli.js';

// Runs the built binary, as users do (`npm run build` first). No lab: doc reads the module schemas only.

describe('shipshape doc', () => {
  it('lists every module with its one-line description', () => {
    const r = cli(['doc']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^lineinfile +Ensure a particular line is in a file/m);
    expect(r.out).toMatch(/^esxi\.maintenanceMode +Enter or leave ESXi maintenance mode/m);
    expect(r.out).toMatch(/^copy +\S/m);
  });

  it("prints a module's options with type, required, default and description from its schema", () => {
    const r = cli(['doc', 'lineinfile']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^> LINEINFILE$/m);
    expect(r.out).toMatch(/^= path\n(?: {8}.+\n)+ {8}type: str$/m);
    expect(r.out).toMatch(/^- state\n(?: {8}.+\n)? {8}type: one of present, absent, default: "present"$/m);
    expect(r.out).toMatch(/^- backrefs\n {8}Expand regexp groups.*\n(?: {8}.+\n)? {8}type: bool, default: false$/m);
    expect(r.out).toMatch(/^  shipshape adhoc PATTERN -i INV -m lineinfile -a .path=….$/m);
    expect(cli(['doc', 'ansible.builtin.lineinfile']).out).toBe(r.out);
  });

  it("prints an option's aliases and the module's examples (the factory's TSDoc @example)", () => {
    const r = cli(['doc', 'lineinfile']);
    expect(r.out).toMatch(/^= path\n {8}The file to edit\.\n {8}aliases: \[dest, destfile, name\]\n {8}type: str$/m);
    expect(r.out).toMatch(/^- regexp\n(?: {8}.+\n)* {8}aliases: \[regex\]\n/m);
    expect(r.out).toMatch(/^EXAMPLES:\n\n  lineinfile\(\{ path: '\/etc\/ssh\/sshd_config', regexp: '\^#\?PasswordAuthentication'/m);
  });

  it("prints a dict option's suboptions, and every option of the platform modules has its description", () => {
    const vzdump = cli(['doc', 'proxmox.vzdump']).out;
    expect(vzdump).toMatch(/^- offsite\n {8}Ship every dump.*\n {8}type: dict\n\n {8}suboptions:\n\n {8}= dest\n/m);
    expect(vzdump).toMatch(/^ {8}= keep\n {16}Generations kept.*\n {16}type: int$/m);
    for (const name of ['openvz.container', 'openvz.exec', 'openvz.templateRebuild', 'xen.guest', 'xen.vif', 'xen.registryEntry', 'proxmox.vzrestore']) {
      const out = cli(['doc', name]).out;
      // Every option line is followed by a description line, not straight by its type.
      const bare = [...out.matchAll(/^ *[=-] (\w+)\n *type: /gm)].map((m) => m[1]);
      expect({ name, bare }).toEqual({ name, bare: [] });
      expect(out).toMatch(/^EXAMPLES:$/m);
    }
  });

  it('rejects an unknown module with exit 1, naming the close ones', () => {
    const r = cli(['doc', 'lineinfle']);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/module "lineinfle" not found; close names: lineinfile\b/);
  });
});
