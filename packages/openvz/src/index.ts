// Public surface of @shipshape/openvz: an explicit list; internals stay under src/internal/.
export {
  parseTemplateName, renderTemplateName, isTemplateName, templateBaseName, TemplateNameError,
  TEMPLATE_NAME_FORM, TEMPLATE_EXTENSIONS, TEMPLATE_ARCHES, TEMPLATE_CONVENTIONS,
} from './names.js';
export type { TemplateName, TemplateExtension, TemplateArch, TemplateConvention } from './names.js';
export {
  containersFact, templatesFact, vzConfFact, ctConfigFact, parseVzlist, parseTemplateCache,
} from './facts/vzctl.js';
export type { ContainerInfo, ContainerStatus, TemplateInfo, TemplateCache } from './facts/vzctl.js';
export { container } from './container.js';
export { containerSchema, planContainer } from './container-plan.js';
export type { ContainerArgs, ContainerFacts } from './container-plan.js';
export { exec, execModule, vzExec, vzctlExecCommand, interpretExec } from './exec.js';
export type { ExecMode, VzExecResult, ContainerCommand } from './exec.js';
export { containerConnection, inContainer } from './connection.js';
export type { ContainerWork, InContainerResult } from './connection.js';
export { templateRebuild, rebuildTemplate } from './rebuild.js';
export { OS_FAMILIES, OS_INFO_COMMAND, parseOsInfo } from './os-family.js';
export type { OsFamily, OsInfo } from './os-family.js';
export type { RebuildOutcome } from './rebuild.js';
export { templateRebuildSchema } from './rebuild-plan.js';
export type { TemplateRebuildArgs, TemplateRebuildFacts } from './rebuild-plan.js';
export { repairVzConfQuota, startWithRepairs, createWithRepairs, UBC_PRESETS } from './repair.js';
export type { UbcPreset, RepairArgs } from './repair.js';
export { normalizeDiskspace, normalizeDiskinodes, normalizeUbc, UBC_PARAMS } from './internal/units.js';
export { modules } from './registry.js';
