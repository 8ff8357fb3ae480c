import { describe, expect, it } from '@jest/globals';
import * as api from './index.js';

describe('@shipshape/proxmox public surface', () => {
  it('exports exactly these values', () => {
    expect(Object.keys(api).sort()).toEqual([
      'ARCHIVE_NAME', 'VzdumpError', 'dumpContainer', 'intervalNotElapsed', 'logPathOf', 'modules', 'parseVzdumpHelp', 'parseVzdumpOutput',
      'pickArchive', 'restoreCommand', 'selectTargets', 'vzdump', 'vzdumpCommand', 'vzdumpDialectFact', 'vzrestore', 'vzrestoreSchema',
    ]);
  });
});
