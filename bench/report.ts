// Turns the measurements into the derived figures (pipeline bound, ratio) and a text table.
import type { IdleResult } from './idle-bench.ts';
import type { IndexResult } from './index-bench.ts';
import type { MachineInfo } from './machine.ts';
import type { DecodeAllResult, DecodeResult, InferResult } from './stage-bench.ts';
import type { QueryResult, SearchResult } from './vector-bench.ts';

export interface IndexSeries {
  model: 'vit-b32' | 'tiny';
  full: IndexResult[];
  half: IndexResult[];
}

export interface BenchReport {
  machine: MachineInfo;
  settings: Record<string, unknown>;
  model: { version: string; visionBytes: number; textBytes: number };
  photos: { count: number; avgBytes: number; width: number; height: number };
  inference?: InferResult;
  /** The same ceiling measured again after the index runs (the bound uses the mean). */
  inferenceAfter?: InferResult;
  decode?: { vit: DecodeResult; tiny: DecodeResult };
  /** Every core decoding at once: what cores × b assumes, measured. */
  decodeAll?: DecodeAllResult;
  index?: { vit: IndexSeries; tiny: IndexSeries };
  query?: QueryResult;
  search?: SearchResult[];
  idle?: IdleResult;
  derived: Record<string, number | null>;
}

const minOf = (xs: readonly number[]): number => Math.min(...xs);

/** Photos per second from the difference of two runs, so model load and start-up cancel. */
export function differenceRate(s: IndexSeries): number | null {
  const full = s.full[0];
  const half = s.half[0];
  if (!full || !half) return null;
  // From the scan's start (model loading, which varies by a few hundred ms, stays out) to the
  // indexer's 'done' (so do maintain and album tagging, reported on their own).
  const span = (r: IndexResult): number => r.doneMs - r.timeline.scanning;
  const dt = (minOf(s.full.map(span)) - minOf(s.half.map(span))) / 1000;
  return dt > 0 ? (full.count - half.count) / dt : null;
}

/** The full-size run that finished first. */
function fastest(s: IndexSeries): IndexResult | null {
  return s.full.reduce<IndexResult | null>((acc, x) => (!acc || x.doneMs < acc.doneMs ? x : acc), null);
}

/** Rate between the first batch's completion and the end, best of the full-size runs. */
export function steadyRate(s: IndexSeries): number | null {
  const rates = s.full.flatMap((r) => (r.steady && r.steady.ms > 0 ? [(r.steady.photos * 1000) / r.steady.ms] : []));
  return rates.length ? Math.max(...rates) : null;
}

/**
 * On CPU decoding and inference share the cores, so the bound is cores / (cores/a + 1/b); with a
 * GPU provider inference runs beside the decoders and the slower of the two sets the pace.
 */
export function pipelineBound(a: number, b: number, cores: number, gpu: boolean): number {
  return gpu ? Math.min(a, cores * b) : cores / (cores / a + 1 / b);
}

export function derive(r: BenchReport, batchSize: number, gpu = false): Record<string, number | null> {
  const cores = r.machine.cores;
  const at = (x: InferResult | undefined): number | null =>
    x?.perBatch.find((p) => p.batch === batchSize)?.imagesPerSec ?? null;
  const before = at(r.inference);
  const after = at(r.inferenceAfter);
  const a = before !== null && after !== null ? (before + after) / 2 : before;
  const b = r.decode?.vit.wallRate ?? null;
  const bound = a && b ? pipelineBound(a, b, cores, gpu) : null;
  const bAll = r.decodeAll ? r.decodeAll.rate / r.decodeAll.cores : null;
  const boundAll = a && bAll ? pipelineBound(a, bAll, cores, gpu) : null;
  const vitRate = r.index ? differenceRate(r.index.vit) : null;
  const tinyRate = r.index ? differenceRate(r.index.tiny) : null;
  const best = r.index ? fastest(r.index.vit) : null;
  const firstVocab = r.index?.vit.half.find((x) => !x.vocabCached && x.textCount > 0) ?? null;
  const steady = best?.steady ?? null;
  return {
    inferenceImagesPerSec: a,
    decodePerCore: b,
    bound,
    vitImagesPerSec: vitRate,
    vitSteadyImagesPerSec: r.index ? steadyRate(r.index.vit) : null,
    ratio: bound && vitRate ? vitRate / bound : null,
    decodeAllCores: r.decodeAll?.rate ?? null,
    boundAllCores: boundAll,
    ratioAllCores: boundAll && vitRate ? vitRate / boundAll : null,
    // How the inference process spent the steady part of the best run.
    embedBusyShare: best && steady && steady.ms > 0 ? best.steadyEmbedMs / steady.ms : null,
    inPipelineInferencePerSec: best && best.embedMs > 0 ? (best.indexed * 1000) / best.embedMs : null,
    tinyFilesPerSec: tinyRate,
    tinyDecodeBound: r.decode ? cores * r.decode.tiny.wallRate : null,
    vocabTexts: firstVocab?.textCount ?? null,
    vocabSeconds: firstVocab ? firstVocab.textMs / 1000 : null,
    postIndexSeconds: best ? (best.totalMs - best.doneMs) / 1000 : null,
    peakRssBytes: r.index?.vit.full.length ? Math.max(...r.index.vit.full.map((x) => x.peakRssBytes)) : null,
  };
}

const f1 = (x: number | null | undefined, unit = ''): string =>
  x === null || x === undefined || !Number.isFinite(x) ? 'n/a' : `${x.toFixed(1)}${unit}`;
const f2 = (x: number | null | undefined): string =>
  x === null || x === undefined || !Number.isFinite(x) ? 'n/a' : x.toFixed(2);
const others = (x: number | null | undefined): string => (x === null || x === undefined ? '?' : x.toFixed(2));
const maxForeign = (rs: readonly { foreignCores: number | null }[]): number | null => {
  const xs = rs.map((x) => x.foreignCores).filter((x): x is number => x !== null);
  return xs.length ? Math.max(...xs) : null;
};

type Row = [string, string, string, string];

/** Where the cores went in the steady part of the fastest full-size run, by thread group. */
function threadRows(vit: IndexSeries): Row[] {
  const threads = fastest(vit)?.steadyThreads;
  if (!threads) return [];
  const groups = Object.entries(threads.groups);
  return [
    [
      'c. steady CPU by thread (cores; child = inference process)',
      `${f1(threads.total)}: ${groups
        .slice(0, 6)
        .map(([k, c]) => `${k} ${f1(c)}`)
        .join(', ')}`,
      '',
      '',
    ],
  ];
}

function indexRows(r: BenchReport, d: BenchReport['derived']): Row[] {
  if (!r.index) return [];
  const { vit, tiny } = r.index;
  const vitAll = [...vit.full, ...vit.half];
  const tinyAll = [...tiny.full, ...tiny.half];
  return [
    [
      r.settings.device === 'cpu' || r.settings.device === undefined
        ? 'c. pipeline bound cores/(cores/a+1/b)'
        : 'c. pipeline bound min(a, cores×b)',
      f1(d.bound, ' img/s'),
      '',
      '',
    ],
    [
      'c. execution provider of the index runs',
      [
        ...new Set(
          vit.full.map((x) => `${x.provider}${x.fallbacks.length ? ` (fell back: ${x.fallbacks.join('; ')})` : ''}`),
        ),
      ].join(', ') || 'n/a',
      '',
      '',
    ],
    [
      `c. Engine.index ViT-B/32, ${vit.full[0]?.count}-${vit.half[0]?.count} photos (difference)`,
      f1(d.vitImagesPerSec, ' img/s'),
      '',
      others(maxForeign(vitAll)),
    ],
    ['c. ratio c / bound', f2(d.ratio), '>= 0.90', ''],
    ...(d.boundAllCores
      ? [
          [
            'c. ratio c / the bound with b from all cores decoding at once',
            f2(d.ratioAllCores),
            `bound ${f1(d.boundAllCores, ' img/s')}`,
            '',
          ] as Row,
        ]
      : []),
    [
      'c. rate after the first batch (decode ran ahead: an upper estimate)',
      f1(d.vitSteadyImagesPerSec, ' img/s'),
      '',
      '',
    ],
    [
      'c. inference process busy share / in-pipeline inference',
      `${f2(d.embedBusyShare)} / ${f1(d.inPipelineInferencePerSec, ' img/s')}`,
      '',
      '',
    ],
    ...threadRows(vit),
    ...(tiny.full.length > 0
      ? [
          [
            `c. Engine.index tiny test model, ${tiny.full[0]!.count}-${tiny.half[0]!.count} photos`,
            f1(d.tinyFilesPerSec, ' files/s'),
            `decode bound ${f1(d.tinyDecodeBound)}`,
            others(maxForeign(tinyAll)),
          ] as Row,
        ]
      : []),
    [
      'c. first index of a library: album vocabulary text encoding',
      d.vocabSeconds === null ? 'n/a (cached)' : `${f1(d.vocabSeconds, ' s')} for ${d.vocabTexts} prompts`,
      '',
      '',
    ],
    ['c. after the last photo: maintain + tagging (vocabulary cached)', f1(d.postIndexSeconds, ' s'), '', ''],
    ['f. peak RSS while indexing (ViT-B/32)', f1((d.peakRssBytes ?? NaN) / 2 ** 20, ' MiB'), '<= 1536 MiB', ''],
  ];
}

function searchRows(r: BenchReport): Row[] {
  const rows: Row[] = [];
  if (r.query) {
    rows.push([
      `d. text query at ${r.query.rows.toLocaleString('en')} (tokenise+encode+search) p50/p95`,
      `${f1(r.query.p50Ms)} / ${f1(r.query.p95Ms)} ms`,
      '',
      others(r.query.foreignCores),
    ]);
    rows.push(['d.   of which text encoder p50', `${f1(r.query.encodeP50Ms)} ms`, '', '']);
    const g = r.query.textGraph;
    rows.push([
      `d.   text graph alone, ${g.contextLength} tokens vs the query's own (mean ${f1(g.meanTokens)})`,
      `${f1(g.fullP50Ms)} / ${f1(g.trimmedP50Ms)} ms`,
      '',
      '',
    ]);
    rows.push([
      `d.   text graph, 64 prompts: ${g.contextLength} tokens vs the longest (${g.batch64.longest})`,
      `${f1(g.batch64.fullMs)} / ${f1(g.batch64.trimmedMs)} ms`,
      '',
      '',
    ]);
  }
  for (const s of r.search ?? []) {
    const target =
      s.rows >= 1_000_000 ? 'p50 <= 30 ms, recall >= 0.95' : s.rows >= 100_000 ? 'p50 <= 10 ms, recall >= 0.95' : '';
    const build =
      s.build.maintainSeconds === null
        ? ''
        : ` (built: insert ${f1(s.build.insertSeconds)} s, maintain ${f1(s.build.maintainSeconds)} s)`;
    rows.push([
      `e. vector search ${s.rows.toLocaleString('en')} ${s.indexed ? 'HNSW-SQ' : 'exact'} p50/p95, recall@10${build}`,
      `${f1(s.p50Ms)} / ${f1(s.p95Ms)} ms, ${f2(s.recallAt10)}`,
      target,
      others(s.foreignCores),
    ]);
    rows.push([
      'e.   same, with a date filter (newer half of the library), p50',
      `${f1(s.dateFilterP50Ms)} ms`,
      '',
      '',
    ]);
  }
  return rows;
}

export function formatTable(r: BenchReport): string {
  const d = r.derived;
  const m = r.machine;
  const rows: Row[] = [['Measure', 'Result', 'Target', "Others' CPU"]];
  for (const p of r.inference?.perBatch ?? []) {
    rows.push([
      `a. onnxruntime ViT-B/32, ${r.inference!.provider}, ${r.inference!.threads} threads, batch ${p.batch}`,
      f1(p.imagesPerSec, ' img/s'),
      `${f1(p.msPerBatch)} ms/batch`,
      others(r.inference!.foreignCores),
    ]);
  }
  if (r.decode) {
    const { vit, tiny } = r.decode;
    const pin = vit.pinned ? 'pinned to 1 core' : 'not pinned';
    rows.push([
      `b. decodePhoto 12 MP → 224 RGB input + thumb, 1 core (${pin})`,
      f1(vit.wallRate, ' img/s'),
      `${f1(vit.msPerPhoto)} ms/photo, ${f1(vit.cpuRate)}/CPU-s`,
      others(vit.foreignCores),
    ]);
    rows.push([
      'b. decodePhoto 12 MP → 64 RGB input (tiny model) + thumb, 1 core',
      f1(tiny.wallRate, ' img/s'),
      `${f1(tiny.msPerPhoto)} ms/photo`,
      others(tiny.foreignCores),
    ]);
    if (r.decodeAll) {
      const all = r.decodeAll;
      rows.push([
        `b. decodePhoto 12 MP → 224, all ${all.cores} cores (${all.decoders} at once, no inference)`,
        f1(all.rate, ' img/s'),
        `${f2(all.rate / (all.cores * vit.wallRate))} of ${all.cores} × b, ${f1(all.busyCores)} cores busy`,
        others(all.foreignCores),
      ]);
    }
    rows.push(['b. SHA-256 content hash, 1 core', f1(vit.hashRate, ' photos/s'), '', '']);
  }
  const again = r.inferenceAfter?.perBatch[0];
  if (again)
    rows.push([
      `a. the same at batch ${again.batch}, again after c (the bound uses the mean)`,
      f1(again.imagesPerSec, ' img/s'),
      `mean ${f1(d.inferenceImagesPerSec, ' img/s')}`,
      others(r.inferenceAfter!.foreignCores),
    ]);
  rows.push(...indexRows(r, d), ...searchRows(r));
  if (r.idle) {
    const mib = (b: number): string => f1(b / 2 ** 20, ' MiB');
    rows.push([
      `f. idle RSS of shoebox serve, ${r.idle.photos / 2} photos, after a search`,
      mib(r.idle.afterSearchBytes),
      '<= 400 MiB',
      '',
    ]);
    rows.push([
      `f. idle RSS of shoebox serve after it indexed ${r.idle.photos / 2} new photos`,
      mib(r.idle.afterIndexBytes),
      '<= 400 MiB',
      '',
    ]);
    rows.push([
      'f. a search once idle (the inference process starts again)',
      f1(r.idle.wakeSearchMs, ' ms'),
      `then ${f1(r.idle.warmSearchMs, ' ms')}`,
      '',
    ]);
  }
  const widths = [0, 1, 2, 3].map((c) => Math.max(...rows.map((row) => row[c]!.length)));
  const line = (row: Row): string => row.map((cell, c) => cell.padEnd(widths[c]!)).join(' | ');
  const physical = m.physicalCores && m.physicalCores !== m.cores ? ` (${m.physicalCores} physical)` : '';
  const machine = `Machine: ${m.cpu}, ${m.cores} cores${physical}, ${m.ramGiB} GiB RAM, Node ${m.node}, onnxruntime-node ${m.onnxruntime}, sharp ${m.sharp} (libvips ${m.libvips}), LanceDB ${m.lancedb}, ${m.platform}, load avg at start ${m.loadAvg1m.toFixed(2)}`;
  const model = `Model: ${r.model.version}, vision_model.onnx ${(r.model.visionBytes / 2 ** 20).toFixed(1)} MiB, text_model.onnx ${(r.model.textBytes / 2 ** 20).toFixed(1)} MiB; photos ${r.photos.width}×${r.photos.height} JPEG, avg ${(r.photos.avgBytes / 1e6).toFixed(2)} MB`;
  const settings = `Settings: ${Object.entries(r.settings)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(', ')}`;
  return [
    machine,
    model,
    settings,
    '',
    line(rows[0]!),
    widths.map((w) => '-'.repeat(w)).join('-|-'),
    ...rows.slice(1).map(line),
  ].join('\n');
}
