import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { parseVzdumpHelp, vzdumpCommand } from './dialect.js';

const help = (f: string) => readFileSync(new URL(`./fixtures/help/${f}`, import.meta.url), 'utf8');
// PVE's schema usage lines (format of PVE::CLIHandler's verbose usage; exact layout unverified).
const PVE7 = 'USAGE: vzdump [<vmid>] [OPTIONS]\n\n  --compress <0 | 1 | gzip | lzo | zstd> (default = 0)\n  --mode <snapshot | stop | suspend> (default = snapshot)\n';
const PVE3 = 'USAGE: vzdump help [<vmid>] [OPTIONS]\n  --compress     (0 | 1 | gzip | lzo)  (default=0)\n  --mode         (snapshot | stop | suspend)  (default=stop)\n';

describe('vzdump dialects from --help', () => {
  it('vzdump 1.x (its usage, printed for the unknown --help)', () => {
    expect(parseVzdumpHelp(help('vzdump-1.2.6.txt'))).toEqual({ name: '1.x', compress: ['0', 'gzip'], restoreOption: false });
  });
  it('PVE: --mode and the --compress enumeration', () => {
    expect(parseVzdumpHelp(PVE7)).toEqual({ name: 'pve', compress: ['0', '1', 'gzip', 'lzo', 'zstd'], restoreOption: false });
    expect(parseVzdumpHelp(PVE3).compress).toEqual(['0', '1', 'gzip', 'lzo']);
    expect(parseVzdumpHelp('--mode <snapshot>\n').compress).toEqual(['0', '1', 'gzip', 'lzo']);
  });
  it('neither: a clear error with what it printed', () => {
    expect(() => parseVzdumpHelp('sh: vzdump: not found\n')).toThrow('vzdump --help shows neither --mode (Proxmox VE ≥ 2) nor --suspend/--snapshot (vzdump 1.x): "sh: vzdump: not found"');
  });
  it('commands per dialect', () => {
    const old = parseVzdumpHelp(help('vzdump-1.2.6.txt'));
    expect(vzdumpCommand(101, { dumpdir: '/d', mode: 'suspend', compress: 'gzip' }, old).text).toBe("vzdump --suspend --compress --dumpdir /d 101");
    expect(vzdumpCommand(101, { dumpdir: '/d', mode: 'stop', compress: '0' }, old).text).toBe('vzdump --stop --dumpdir /d 101');
    expect(() => vzdumpCommand(101, { dumpdir: '/d', compress: 'zstd' }, old)).toThrow('this vzdump (1.x) compresses only with gzip (bare --compress, .tgz)');
    expect(vzdumpCommand(101, { dumpdir: '/d', mode: 'snapshot', compress: 'zstd' }, parseVzdumpHelp(PVE7)).text).toBe('vzdump 101 --mode snapshot --compress zstd --dumpdir /d');
    expect(() => vzdumpCommand(101, { dumpdir: '/d', compress: 'zstd' }, parseVzdumpHelp(PVE3))).toThrow('this vzdump offers --compress 0|1|gzip|lzo, not "zstd"');
  });
});
