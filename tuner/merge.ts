// `tilesweep merge`: the results files of a sharded sweep (or any files of one device) into one. The
// shards of one sweep (each file's `sweep.shard`, 1..n of n, all present) are interleaved row by row,
// the inverse of tuner/shard.ts's split by plan position, so the merged rows are the unsharded
// sweep's in its order; any other set of files is concatenated in the order given.
import { message, UsageError } from '../core/errors.ts';
import type { ResultRow, ResultsFile } from '../core/results.ts';
import type { Shard } from './shard.ts';

export interface NamedFile {
  path: string;
  file: ResultsFile;
}

const shardOf = (file: ResultsFile): Shard | undefined => {
  const shard = (file.sweep as { shard?: Shard | null } | undefined)?.shard;
  return shard && Number.isInteger(shard.index) && Number.isInteger(shard.count) ? shard : undefined;
};

/** The files' shards ordered 1..n when they are exactly the n shards of one sweep, else undefined. */
function completeShards(files: readonly NamedFile[]): NamedFile[] | undefined {
  const shards = files.map((f) => shardOf(f.file));
  const count = shards[0]?.count;
  if (count === undefined || files.length !== count || shards.some((s) => s?.count !== count)) return undefined;
  const ordered = [...files].sort((a, b) => shardOf(a.file)!.index - shardOf(b.file)!.index);
  return ordered.every((f, i) => shardOf(f.file)!.index === i + 1) ? ordered : undefined;
}

function interleave(lists: readonly (readonly ResultRow[])[]): ResultRow[] {
  const out: ResultRow[] = [];
  for (let i = 0; lists.some((l) => i < l.length); i++) for (const list of lists) if (i < list.length) out.push(list[i]);
  return out;
}

/** One file holding every row of `files`; files from other hardware or another schema are refused. */
export function mergeResults(files: readonly NamedFile[]): ResultsFile {
  const [first] = files;
  for (const { path, file } of files.slice(1)) {
    if (file.schema !== first.file.schema) throw new UsageError(message.mergeMismatch(path, 'schema', first.file.schema, file.schema));
    if (file.device.fingerprint !== first.file.device.fingerprint) {
      throw new UsageError(message.mergeMismatch(path, 'device', `${first.file.device.name} (${first.file.device.fingerprint})`, `${file.device.name} (${file.device.fingerprint})`));
    }
  }
  const shards = completeShards(files);
  const runs = shards ? interleave(shards.map((f) => f.file.runs)) : files.flatMap((f) => f.file.runs);
  const sweep = first.file.sweep as Record<string, unknown> | undefined;
  return {
    ...first.file,
    createdAt: files.map((f) => f.file.createdAt).sort().at(-1)!,
    runs,
    ...(sweep ? { sweep: { ...sweep, shard: null } } : {}),
    // Provenance per call (runId), where the files carry it: the union.
    ...(files.some((f) => f.file.calls) ? { calls: Object.assign({}, ...files.map((f) => f.file.calls ?? {})) } : {}),
    merged: files.map((f) => ({ path: f.path, createdAt: f.file.createdAt, shard: shardOf(f.file) ?? null })),
  };
}
