import { ArgumentError, parseArgs, taskName, PLAY_FIELD_NAMES, TASK_OPTION_NAMES, type PlayDef, type PlaybookDef, type Task } from '@shipshape/core';

const TASK_OPTIONS = new Set<string>(TASK_OPTION_NAMES);
const PLAY_FIELDS = new Set<string>(PLAY_FIELD_NAMES);

const handlerTasks = (play: PlayDef): Task[] => Object.values(play.handlers ?? {}).flatMap((h) => (Array.isArray(h) ? (h as Task[]) : [h as Task]));

function notified(t: Task): readonly string[] {
  const n = t.options.notify;
  return n === undefined ? [] : typeof n === 'string' ? [n] : n;
}

/**
 * Refuse what a run would trip over, before anything runs (exit 1): bad static module arguments,
 * options and play fields that do not exist (typos), and notifications of handlers the play lacks.
 */
export function validatePlaybook(pb: PlaybookDef): void {
  for (const play of pb.plays) {
    const unknownField = Object.keys(play).find((k) => !PLAY_FIELDS.has(k));
    if (unknownField !== undefined) {
      throw new ArgumentError(`play "${play.name}": '${unknownField}' is not a valid attribute for a Play (valid: ${PLAY_FIELD_NAMES.join(', ')})`, unknownField, unknownField);
    }
    const handlers = new Set(Object.keys(play.handlers ?? {}));
    const visit = (tasks: readonly Task[]) => {
      for (const t of tasks) {
        const unknown = Object.keys(t.options).find((k) => !TASK_OPTIONS.has(k));
        if (unknown !== undefined) {
          throw new ArgumentError(`task "${taskName(t)}": '${unknown}' is not a valid attribute for a Task (valid: ${TASK_OPTION_NAMES.join(', ')})`, unknown, unknown);
        }
        const missing = notified(t).find((n) => !handlers.has(n));
        if (missing !== undefined) {
          throw new ArgumentError(
            `task "${taskName(t)}": The requested handler '${missing}' was not found in either the main handlers list nor in the listening handlers list`
              + ` (handlers of play "${play.name}": ${[...handlers].join(', ') || 'none'})`, 'notify', missing,
          );
        }
        if (t.kind === 'block') [t.block, t.rescue ?? [], t.always ?? []].forEach(visit);
        else if (t.kind === 'module' && typeof t.args !== 'function') parseArgs(t.module, t.args, taskName(t));
      }
    };
    visit(play.tasks);
    visit(handlerTasks(play));
  }
}

/** The names of a playbook's tasks, handlers aside (what --start-at-task may name). */
export function taskNames(pb: PlaybookDef): Set<string> {
  const names = new Set<string>();
  const visit = (tasks: readonly Task[]) => {
    for (const t of tasks) {
      if (t.kind === 'block') [t.block, t.rescue ?? [], t.always ?? []].forEach(visit);
      else names.add(taskName(t));
    }
  };
  for (const play of pb.plays) visit(play.tasks);
  return names;
}
