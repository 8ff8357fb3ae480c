import { describe, expect, it } from '@jest/globals';
import * as openvz from './index.js';

describe('@shipshape/openvz public surface', () => {
  it('exports exactly this list', () => {
    expect(Object.keys(openvz).sort()).toEqual([
      'OS_FAMILIES', 'OS_INFO_COMMAND', 'UBC_PRESETS', 'parseOsInfo', 'createWithRepairs', 'TEMPLATE_ARCHES', 'TEMPLATE_CONVENTIONS', 'TEMPLATE_EXTENSIONS', 'TEMPLATE_NAME_FORM', 'TemplateNameError', 'UBC_PARAMS',
      'container', 'containerConnection', 'containerSchema', 'containersFact', 'ctConfigFact', 'exec', 'execModule', 'inContainer', 'interpretExec',
      'isTemplateName', 'modules', 'normalizeDiskinodes', 'normalizeDiskspace', 'normalizeUbc', 'parseTemplateCache', 'parseTemplateName',
      'parseVzlist', 'planContainer', 'rebuildTemplate', 'renderTemplateName', 'repairVzConfQuota', 'startWithRepairs',
      'templateBaseName', 'templateRebuild', 'templateRebuildSchema', 'templatesFact', 'vzConfFact', 'vzExec', 'vzctlExecCommand',
    ].sort());
  });
});
