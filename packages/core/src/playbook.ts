import { PlaybookError } from './errors.js';
import type { BlockTask, FnTask, PlayDef, PlaybookDef, Task, TaskFn, TaskOptions } from './types.js';

/**
 * Define a playbook of one or more plays.
 * @example
 * export default playbook({ name: 'motd', hosts: 'all', tasks: [copy({ dest: '/etc/motd', content: 'hi\n' })] });
 */
export function playbook(play: PlayDef | { name: string; plays: readonly PlayDef[] }): PlaybookDef {
  const plays = 'plays' in play ? play.plays : [play];
  for (const p of plays) {
    if (!p || typeof p !== 'object' || !Array.isArray(p.tasks)) {
      throw new PlaybookError(`play "${p?.name ?? '?'}" needs a tasks array`);
    }
  }
  return { kind: 'playbook', name: play.name, plays };
}

/** A task that is an async function of the host. Return `{ changed: true }` or call `h.changed()`. */
export function task(name: string, fn: TaskFn, options: TaskOptions = {}): FnTask {
  return { kind: 'fn', fn, options: { ...options, name } };
}

/** Group tasks with Ansible's block/rescue/always semantics. */
export function block(
  name: string,
  parts: { block: readonly Task[]; rescue?: readonly Task[]; always?: readonly Task[] },
  options: TaskOptions = {},
): BlockTask {
  return { kind: 'block', ...parts, options: { ...options, name } };
}

/** The display name of a task. */
export function taskName(t: Task): string {
  if (t.options.name) return t.options.name;
  if (t.kind === 'module') return t.module.name;
  return 'block';
}
