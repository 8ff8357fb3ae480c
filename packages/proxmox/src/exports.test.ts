import { describe, expect, it } from '@jest/globals';
import * as api from './index.js';

describe('@shipshape/proxmox public surface', () => {
  it('exports exactly these values', () => {
    expect(Object.keys(api).sort()).toEqual([
      'ARCHIVE_NAME', 'LISTINGS', 'VzdumpError', 'container', 'containerSchema', 'dumpContainer', 'intervalNotElapsed', 'logPathOf', 'modules', 'nodeContainersFact', 'nodesFact',
      'parseGuestConfig', 'parseNodeContainers', 'parsePctList', 'parsePveamList', 'parsePveversion', 'parseQmList', 'parseStorages', 'parseVzdumpHelp', 'parseVzdumpOutput',
      'pctConfigFact', 'pctListFact', 'pickArchive', 'planContainer', 'planDrill', 'planTemplate', 'planVm', 'pveamListFact', 'pveversionFact', 'qmConfigFact',
      'qmListFact', 'restoreCommand', 'restoreDrill', 'restoreDrillSchema', 'selectTargets', 'storagesFact', 'template', 'templateSchema', 'vm', 'vmSchema', 'vzdump', 'vzdumpCommand',
      'vzdumpDialectFact', 'vzrestore', 'vzrestoreSchema',
    ]);
  });
});
