import { PlaybookError } from './errors.js';
import type { BlockTask, FnTask, PlayDef, PlaybookDef, Task, TaskFn, TaskOptions, Vars } from './types.js';

/** Every task option by name: what a task's options may hold (a typo is refused before a run). */
export const TASK_OPTION_NAMES: readonly (keyof TaskOptions)[] = Object.keys({
  name: 1, when: 1, loop: 1, register: 1, notify: 1, tags: 1, ignoreErrors: 1, retries: 1, until: 1, delay: 1, changedWhen: 1,
  failedWhen: 1, become: 1, becomeUser: 1, delegateTo: 1, runOnce: 1, throttle: 1, noLog: 1, timeout: 1, checkMode: 1,
} satisfies Record<keyof TaskOptions, 1>) as (keyof TaskOptions)[];

/** Every play field by name. */
export const PLAY_FIELD_NAMES: readonly (keyof PlayDef)[] = Object.keys({
  name: 1, hosts: 1, defaults: 1, vars: 1, tasks: 1, handlers: 1, serial: 1, strategy: 1, forks: 1, gatherFacts: 1, become: 1, becomeUser: 1, tags: 1,
} satisfies Record<keyof PlayDef, 1>) as (keyof PlayDef)[];

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

/**
 * A task that is an async function of the host. Return `{ changed: true }` or call `h.changed()`.
 * `task<MyVars>(...)` types `ctx.vars`.
 */
export function task<V extends object = Vars>(name: string, fn: TaskFn<V>, options: TaskOptions<V> = {}): FnTask {
  return { kind: 'fn', fn: fn as TaskFn, options: { ...(options as TaskOptions), name } };
}

/**
 * Group tasks with Ansible's block/rescue/always semantics. `defaults` are the block's
 * lowest-precedence vars, as a role's defaults/main.yml: a reusable task list ships them.
 * @example
 * export const nginx = (extra = {}) => block('nginx', { defaults: { nginx_port: 80 }, block: [...] }, extra);
 */
export function block<V extends object = Vars>(
  name: string,
  parts: { block: readonly Task[]; rescue?: readonly Task[]; always?: readonly Task[]; defaults?: Vars },
  options: TaskOptions<V> = {},
): BlockTask {
  return { kind: 'block', ...parts, options: { ...(options as TaskOptions), name } };
}

/** The display name of a task. */
export function taskName(t: Task): string {
  if (t.options.name) return t.options.name;
  if (t.kind === 'module') return t.module.name;
  return 'block';
}
