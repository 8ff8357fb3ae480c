import { parseArgs, taskName, type PlaybookDef, type Task } from '@shipshape/core';

/** Validate every static module argument before anything runs, so bad args are a load error (exit 1). */
export function validatePlaybook(pb: PlaybookDef): void {
  const visit = (tasks: readonly Task[]) => {
    for (const t of tasks) {
      if (t.kind === 'block') [t.block, t.rescue ?? [], t.always ?? []].forEach(visit);
      else if (t.kind === 'module' && typeof t.args !== 'function') parseArgs(t.module, t.args, taskName(t));
    }
  };
  for (const play of pb.plays) {
    visit(play.tasks);
    for (const h of Object.values(play.handlers ?? {})) visit(Array.isArray(h) ? (h as Task[]) : [h as Task]);
  }
}
