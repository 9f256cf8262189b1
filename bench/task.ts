// One measurement in a fresh process, started by run.ts: each gets clean memory (so peak RSS is
// the indexer's own), its own sharp and thread settings, and no model left loaded by another.
// Prints its result as one JSON line on stdout.
// First: sizes libuv's pool before sharp's import starts it.
import '../app/main/core/decode/thread-pool.ts';
import '../app/main/core/no-telemetry.ts';
import { benchIndex } from './index-bench.ts';
import type { IndexArgs } from './index-bench.ts';
import { benchIdle } from './idle-bench.ts';
import type { IdleArgs } from './idle-bench.ts';
import { benchDecode, benchDecodeAll, benchInference } from './stage-bench.ts';
import type { DecodeAllArgs, DecodeArgs, InferArgs } from './stage-bench.ts';
import { benchQuery, benchSearch } from './vector-bench.ts';
import type { QueryArgs, SearchArgs } from './vector-bench.ts';

export type TaskName = 'infer' | 'decode' | 'decode-all' | 'index' | 'search' | 'query' | 'idle';

async function runTask(name: string, args: unknown): Promise<unknown> {
  switch (name) {
    case 'infer':
      return benchInference(args as InferArgs);
    case 'decode':
      return benchDecode(args as DecodeArgs);
    case 'decode-all':
      return benchDecodeAll(args as DecodeAllArgs);
    case 'index':
      return benchIndex(args as IndexArgs);
    case 'search':
      return benchSearch(args as SearchArgs);
    case 'query':
      return benchQuery(args as QueryArgs);
    case 'idle':
      return benchIdle(args as IdleArgs);
    default:
      throw new Error(`unknown benchmark task ${name}`);
  }
}

const [name = '', json = '{}'] = process.argv.slice(2);
try {
  const result = await runTask(name, JSON.parse(json));
  process.stdout.write(JSON.stringify(result) + '\n');
  // Worker threads and native pools can keep the loop alive; the result is out, so leave.
  process.exit(0);
} catch (err) {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
}
