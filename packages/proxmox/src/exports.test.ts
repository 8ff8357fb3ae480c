import { describe, expect, it } from '@jest/globals';
import * as api from './index.js';

describe('@shipshape/proxmox public surface', () => {
  it('exports exactly these values', () => {
    expect(Object.keys(api).sort()).toEqual([
      'ARCHIVE_NAME', 'VzdumpError', 'containersFact', 'dumpContainer', 'intervalNotElapsed', 'logPathOf', 'parseVzdumpOutput',
      'parseVzlistStatus', 'selectTargets', 'vzdump', 'vzdumpCommand',
    ]);
  });
});
