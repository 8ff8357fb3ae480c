import { z } from 'zod';
import type { Destination } from '@shipshape/storage';

const isDestination = (v: unknown): v is Destination =>
  typeof v === 'object' && v !== null && ['local', 'sftp', 'ftp', 'ftps'].includes((v as { type?: string }).type ?? '');

/** A storage destination in a module's arguments (vzdump's offsite, vzrestore's from). */
export const destinationField = z.custom<Destination>(isDestination, 'expected a storage destination ({ type: local|sftp|ftp|ftps, ... })');
