/**
 * Config bundles on the controller: what build/host made one, and a digest of the configuration
 * it holds (so an unchanged configuration is not stored twice).
 */
import { createHash } from 'node:crypto';
import { ModuleError } from '@shipshape/core';
import { contentDigest, readTar, tarFile } from './internal/tar.js';
import { parseManifest, type BundleManifest } from './parse.js';

export interface BundleInfo {
  readonly manifest: BundleManifest;
  /**
   * SHA-256 over the /etc files inside (state.tgz -> local.tgz); ignores archive timestamps. For
   * an encrypted configuration: over the encrypted local.tgz.ve (it differs between bundles).
   */
  readonly configDigest: string;
  /** The configuration is encrypted (state.tgz holds local.tgz.ve, ESXi 7.0 U2+ with a TPM). */
  readonly encrypted?: boolean;
  /** The recovery key id the bundle's encryption.info names (`recoveryId=`), when it names one. */
  readonly recoveryId?: string;
}

/** What backupConfig can say of a bundle it fetched: inspected, or stored without a look inside. */
export type BundleView = ({ readonly inspected: true } & BundleInfo) | { readonly inspected: false; readonly note: string };

/**
 * The regular files of a state.tgz's local.tgz by path (`etc/ssh/sshd_config`), or `encrypted`
 * when it holds `local.tgz.ve` instead (ESXi 7.0 U2+ with a TPM). Throws when it is neither.
 */
export function stateFiles(state: Buffer): Map<string, Buffer> | 'encrypted' {
  const top = readTar(state);
  const local = tarFile(top, 'local.tgz');
  if (!local) {
    if (tarFile(top, 'local.tgz.ve')) return 'encrypted';
    throw new ModuleError('state.tgz has no local.tgz');
  }
  return new Map(readTar(local).filter((e) => e.type === '0').map((e) => [e.name, e.data]));
}

/** Digest of the /etc files in a state.tgz (-> local.tgz); throws when it is not one. */
export function stateDigest(state: Buffer): string {
  const local = tarFile(readTar(state), 'local.tgz');
  if (!local) throw new ModuleError('state.tgz has no local.tgz');
  return contentDigest(readTar(local));
}

/** Read a configBundle .tgz: `Manifest.txt` and `state.tgz` (-> `local.tgz`). `label` names it in errors. */
export function inspectBundle(bundle: Buffer, label: string): BundleInfo {
  try {
    const top = readTar(bundle);
    const manifest = tarFile(top, 'Manifest.txt');
    const state = tarFile(top, 'state.tgz');
    if (!manifest || !state) throw new ModuleError('it has no Manifest.txt and state.tgz');
    const parsed = parseManifest(manifest.toString('utf8'));
    const inner = readTar(state);
    const sealed = tarFile(inner, 'local.tgz.ve');
    if (!tarFile(inner, 'local.tgz') && sealed) {
      const info = tarFile(inner, 'encryption.info')?.toString('utf8') ?? '';
      const recoveryId = /^recoveryId=(\{[0-9A-Fa-f-]+\})\s*$/m.exec(info)?.[1];
      return { manifest: parsed, configDigest: createHash('sha256').update(sealed).digest('hex'), encrypted: true, recoveryId };
    }
    return { manifest: parsed, configDigest: stateDigest(state) };
  } catch (e) {
    throw new ModuleError(`${label} is not an ESXi config bundle: ${(e as Error).message}`, { cause: e });
  }
}

/** inspectBundle, or `not inspected` with the reason: a bundle is stored even when its layout is not the expected one. */
export function viewBundle(bundle: Buffer, label: string): BundleView {
  try {
    return { inspected: true, ...inspectBundle(bundle, label) };
  } catch (e) {
    return { inspected: false, note: (e as Error).message };
  }
}
