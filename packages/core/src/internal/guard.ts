/**
 * Errors that escape a task: a throw from a timer or event callback the task started, or a promise it
 * never awaited that rejects. Node would end the whole run with a stack trace; instead each task runs
 * in an async context, and an escaped error goes to the task whose context it was raised in. An error
 * raised outside every task is Node's as before (it ends the process).
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export interface TaskSlot {
  escaped(error: unknown): void;
}

const slots = new AsyncLocalStorage<TaskSlot>();
let users = 0;

function onEscape(error: unknown): void {
  const slot = slots.getStore();
  if (slot) return slot.escaped(error);
  // Not from a task: uninstall and let Node handle it as it would have without us.
  process.off('uncaughtException', onEscape);
  process.off('unhandledRejection', onEscape);
  users = 0;
  process.nextTick(() => {
    throw error;
  });
}

/** Catch errors that escape tasks while `body` runs (runs may overlap: the handlers stay while any is active). */
export async function guardEscapes<T>(body: () => Promise<T>): Promise<T> {
  if (users++ === 0) {
    process.on('uncaughtException', onEscape);
    process.on('unhandledRejection', onEscape);
  }
  try {
    return await body();
  } finally {
    if (users > 0 && --users === 0) {
      process.off('uncaughtException', onEscape);
      process.off('unhandledRejection', onEscape);
    }
  }
}

/** Run `fn` in its own task context: errors escaping from what it starts reach `slot`. */
export function inTaskSlot<T>(slot: TaskSlot, fn: () => Promise<T>): Promise<T> {
  return slots.run(slot, fn);
}
