/** vzctl exit codes that shipshape reacts to (include/vzerror.h; docs/platforms/openvz.md, "Exit codes"). */
export const VZ = {
  COMMAND_EXECUTION_ERROR: 8,
  LOCKED: 9,
  CONFIG_NOT_FOUND: 14,
  NOT_ENOUGH_UBC_PARAMS: 28,
  VE_NOT_RUNNING: 31,
  VE_RUNNING: 32,
  DISKSPACE_NOT_SET: 63,
  DISKINODES_NOT_SET: 64,
  OSTEMPLATE_NOT_FOUND: 91,
} as const;

/** `Error: required UB parameter kmemsize not set` lines → ['kmemsize', ...]. */
export function missingUbParams(output: string): string[] {
  return [...output.matchAll(/^Error: required UB parameter (\w+) not set$/gm)].map((m) => m[1]!);
}

/** `Error: Not enough parameters, diskspace quota not set` (or diskinodes): the line, or undefined. */
export const quotaNotSet = (stderr: string): string | undefined =>
  /^Error: Not enough parameters, disk(space|inodes) quota not set$/m.exec(stderr)?.[0];

/** vzctl printed "No changes in CT configuration, not saving" (set --save changed nothing). */
export const noConfigChanges = (stdout: string): boolean => /^No changes in CT configuration, not saving$/m.test(stdout);

/** exec2 (and exec3) report the CT-not-running case as 31 with this stderr line. */
export const notRunning = (stderr: string): boolean => /^Container is not running$/m.test(stderr);
