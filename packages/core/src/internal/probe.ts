import { pathArg, script, sh, type ChecksumAlgorithm, type Command, type ProbedPath, type ProbeRequest } from '../command.js';

/** stat's fields, in the order every probe and path reader prints them. */
export const STAT_FORMAT = '%a|%u|%g|%U|%G|%s|%i|%d|%h|%Y';

const HASH_LENGTH: Record<ChecksumAlgorithm, number> = { md5: 32, sha1: 40, sha256: 64 };

type Seen = { -readonly [K in keyof ProbedPath]: ProbedPath[K] };

interface Entry {
  readonly path: string;
  lstat: boolean;
  stat: boolean;
  content: boolean;
  readonly sums: Set<ChecksumAlgorithm>;
}

/**
 * Fold the path reads of many commands into a few processes: shell builtins tell each path's type,
 * then one `stat` for all of them (one more with -L for followed paths), one `cat` for the contents
 * (split by the sizes stat printed), one `<algo>sum` per checksum kind, and `readlink` per symlink.
 * The commands' own output is then rendered from what was seen (`Probe.render`).
 */
export function probeSections(requests: readonly ProbeRequest[]): {
  readonly sections: readonly Command[];
  /** From the sections' outputs (undefined = that section failed): every path's state, or undefined if inconsistent. */
  assemble(outputs: readonly (Buffer | undefined)[]): { umask: string; paths: Map<string, ProbedPath> } | undefined;
} {
  const entries = new Map<string, Entry>();
  for (const r of requests) {
    const e = entries.get(r.path) ?? { path: r.path, lstat: false, stat: false, content: false, sums: new Set<ChecksumAlgorithm>() };
    if (r.follow || r.content) e.stat = true;
    else e.lstat = true;
    if (r.content) e.content = true;
    if (r.checksum) e.sums.add(r.checksum);
    entries.set(r.path, e);
  }
  const all = [...entries.values()];
  const lstats = all.filter((e) => e.lstat);
  const stats = all.filter((e) => e.stat);
  const contents = all.filter((e) => e.content);
  const algos = [...new Set(all.flatMap((e) => [...e.sums]))];
  const paths = (list: readonly Entry[]) => list.map((e) => pathArg(e.path));
  // Collect the paths that pass a test into "$@", then one process for all of them.
  const gather = (list: readonly Entry[], test: string, run: string): Command =>
    sh`set --; for p in ${paths(list)}; do if ${script(test)}; then set -- "$@" "$p"; fi; done; [ $# -eq 0 ] || ${script(run)} -- "$@"`;
  const sections: Command[] = [
    script('umask'),
    sh`for p in ${paths(all)}; do if [ -L "$p" ]; then t=link; elif [ -d "$p" ]; then t=directory; elif [ -f "$p" ]; then t=file; elif [ -e "$p" ]; then t=other; else t=-; fi; e=0; [ -e "$p" ] && e=1; d=0; [ -d "$p" ] && d=1; f=0; [ -f "$p" ] && f=1; r=0; [ -r "$p" ] && r=1; echo "$t $e$d$f$r"; done`,
    gather(lstats, '[ -L "$p" ] || [ -e "$p" ]', `stat -c '${STAT_FORMAT}'`),
    gather(stats, '[ -e "$p" ]', `stat -L -c '${STAT_FORMAT}'`),
    gather(contents, '[ -f "$p" ] && [ -r "$p" ]', 'cat'),
    sh`for p in ${paths(lstats)}; do if [ -L "$p" ]; then readlink -- "$p"; fi; printf '\\000'; done`,
    ...algos.map((a) => gather(all.filter((e) => e.sums.has(a)), '[ ! -L "$p" ] && [ -f "$p" ] && [ -r "$p" ]', `${a}sum`)),
  ];
  const lines = (b: Buffer) => {
    const s = b.toString('utf8');
    return s === '' ? [] : s.replace(/\n$/, '').split('\n');
  };

  function assemble(outputs: readonly (Buffer | undefined)[]) {
    if (outputs.some((o) => o === undefined)) return undefined;
    const [umaskOut, typesOut, lstatOut, statOut, catOut, linksOut, ...sumOuts] = outputs as Buffer[];
    const types = lines(typesOut!);
    if (types.length !== all.length) return undefined;
    const seen = new Map<string, Seen>();
    all.forEach((e, i) => {
      const [t, flags = ''] = types[i]!.split(' ');
      seen.set(e.path, {
        type: t === '-' ? 'missing' : (t as ProbedPath['type']),
        exists: flags[0] === '1',
        isDir: flags[1] === '1',
        isFile: flags[2] === '1',
        readable: flags[3] === '1',
        checksums: {},
      });
    });
    const fill = (list: readonly Entry[], out: Buffer, when: (p: ProbedPath) => boolean, set: (p: Seen, v: string) => void, keep = (_: string) => true): boolean => {
      const chosen = list.filter((e) => when(seen.get(e.path)!));
      const ls = lines(out).filter(keep);
      if (ls.length !== chosen.length) return false;
      chosen.forEach((e, i) => set(seen.get(e.path)!, ls[i]!));
      return true;
    };
    const statLine = (s: string) => s.split('|').length === 10;
    if (!fill(lstats, lstatOut!, (p) => p.type !== 'missing', (p, v) => (p.lstat = v))) return undefined;
    if (!fill(stats, statOut!, (p) => p.exists, (p, v) => (p.stat = v))) return undefined;
    if ([...seen.values()].some((p) => (p.lstat !== undefined && !statLine(p.lstat)) || (p.stat !== undefined && !statLine(p.stat)))) return undefined;
    // Contents come back concatenated: split them by the sizes stat printed just before.
    let at = 0;
    for (const e of contents) {
      const p = seen.get(e.path)!;
      if (!(p.isFile && p.readable)) continue;
      const size = Number(p.stat?.split('|')[5]);
      if (!Number.isSafeInteger(size) || at + size > catOut!.length) return undefined;
      p.content = Buffer.from(catOut!.subarray(at, at + size));
      at += size;
    }
    if (at !== catOut!.length) return undefined;
    const targets = linksOut!.toString('utf8').split('\0');
    if (targets.length !== lstats.length + 1) return undefined;
    lstats.forEach((e, i) => {
      const p = seen.get(e.path)!;
      if (p.type === 'link') p.target = targets[i]!.replace(/\n$/, '');
    });
    for (const [i, algo] of algos.entries()) {
      // `<hash>  <name>` per file (GNU escapes odd names with a leading `\`; busybox prints a newline in
      // a name as is, so only lines that start with a hash count).
      const record = new RegExp(`^\\\\?[0-9a-f]{${HASH_LENGTH[algo]}}  `);
      const ok = fill(all.filter((e) => e.sums.has(algo)), sumOuts[i]!, (p) => p.type === 'file' && p.readable, (p, v) => {
        p.checksums = { ...p.checksums, [algo]: v.replace(/^\\/, '').split(' ')[0]! };
      }, (l) => record.test(l));
      if (!ok) return undefined;
    }
    return { umask: umaskOut!.toString('utf8').trim(), paths: seen as Map<string, ProbedPath> };
  }
  return { sections, assemble };
}
