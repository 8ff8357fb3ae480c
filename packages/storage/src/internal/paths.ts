import { posix } from 'node:path';
import { ArgumentError } from '@shipshape/core';

/** Join a destination-relative path onto the destination directory; `..` may not climb out. */
export function joinDest(base: string, rel = '.'): string {
  if (rel.split('/').includes('..')) throw new ArgumentError(`storage: path ${JSON.stringify(rel)} may not contain ".."`, 'path', rel);
  if (rel.startsWith('/')) throw new ArgumentError(`storage: path ${JSON.stringify(rel)} must be relative to the destination`, 'path', rel);
  return posix.normalize(posix.join(base, rel));
}

/** A plain file name (no directories), as backup names must be. */
export function checkFileName(name: string, field = 'name'): string {
  if (!name || name === '.' || name === '..' || name.includes('/') || name.includes('\n')) {
    throw new ArgumentError(`storage: ${field} ${JSON.stringify(name)} must be a plain file name`, field, name);
  }
  return name;
}
