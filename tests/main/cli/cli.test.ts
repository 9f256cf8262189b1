// End-to-end tests of the `shoebox` CLI: the real process, a real library folder, the generated
// test model (colour words match photos of that colour) and photos written by sharp.
import { copyFile, mkdir, mkdtemp, realpath, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliFor, eventually, jsonOutput, runCli, startCli } from '#support/cli.ts';
import type { CliResult, RunningCli } from '#support/cli.ts';
import {
  halves,
  solid,
  writeBroken,
  writeExifRotated,
  writeManyPhotos,
  writePhoto,
  writeRotated180,
} from '#support/photos.ts';
import type { Rgb } from '#support/photos.ts';
import { COLOURS, makeTestModel } from '#support/test-model.ts';

interface Counts {
  indexed: number;
  reused: number;
  unchanged: number;
  failed: number;
  removed: number;
}

interface Hit {
  path: string;
  score: number;
}

interface Status {
  library: string;
  roots: { path: string; online: boolean; photos: number; failed: number }[];
  photos: number;
  kinds: Record<string, number>;
  failed: number;
  failures: { path: string; root: string; reason: string }[];
  model: { id: string; dir: string; dim: number; provider: string; calibration: Record<string, unknown> } | null;
}

function colour(name: string): Rgb {
  const rgb = COLOURS[name];
  if (!rgb) throw new Error(`test-model has no colour "${name}"`);
  return rgb;
}

const COUNT_KEYS = ['failed', 'indexed', 'removed', 'reused', 'unchanged'];

/** `index --json`'s output: exactly one object with exactly the five counts. */
function counts(r: CliResult): Counts {
  const value = jsonOutput(r, ['index', '--json']);
  expect(value).toBeTypeOf('object');
  expect(Object.keys(value as object).sort()).toEqual(COUNT_KEYS);
  for (const k of COUNT_KEYS) expect(Number.isInteger((value as Record<string, unknown>)[k])).toBe(true);
  return value as Counts;
}

/** `search/similar --json`'s output: an array of hits, absolute paths, numeric scores, best first. */
function hits(r: CliResult): Hit[] {
  const value = jsonOutput(r, ['search', '--json']);
  expect(Array.isArray(value)).toBe(true);
  const list = value as Hit[];
  for (const h of list) {
    expect(typeof h.path).toBe('string');
    expect(path.isAbsolute(h.path)).toBe(true);
    expect(typeof h.score).toBe('number');
    expect(Number.isFinite(h.score)).toBe(true);
  }
  for (let i = 1; i < list.length; i++) expect(list[i]!.score).toBeLessThanOrEqual(list[i - 1]!.score);
  return list;
}

function status(r: CliResult): Status {
  return jsonOutput(r, ['status', '--json']) as Status;
}

const paths = (list: readonly Hit[]): string[] => list.map((h) => h.path);
const sorted = (list: readonly string[]): string[] => [...list].sort();

/** Resolves with the process's result, or rejects if it is still running after `ms`. */
async function exitWithin(run: RunningCli, ms: number): Promise<CliResult> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`still running ${ms} ms later:\n${run.stderr()}`)), ms);
  });
  try {
    return await Promise.race([run.done, late]);
  } finally {
    clearTimeout(timer);
  }
}

let tmp = '';
let model = '';

beforeAll(async () => {
  // Real path: the library stores folders by their real path (macOS's /var is /private/var).
  tmp = await realpath(await mkdtemp(path.join(os.tmpdir(), 'shoebox-cli-')));
  model = await makeTestModel(path.join(tmp, 'model'));
});

afterAll(async () => {
  if (tmp !== '') await rm(tmp, { recursive: true, force: true });
});

describe('shoebox add / remove', () => {
  let lib = '';
  let root = '';
  let files: string[] = [];
  let sb: (...args: string[]) => Promise<CliResult>;

  beforeAll(async () => {
    lib = path.join(tmp, 'lib-roots');
    root = path.join(tmp, 'roots', 'photos');
    sb = cliFor(lib, model);
    files = [
      await writePhoto(path.join(root, 'red.jpg'), solid(colour('red'))),
      await writePhoto(path.join(root, 'sub', 'blue.png'), solid(colour('blue'))),
    ];
  });

  it('add registers a folder', async () => {
    const r = await sb('add', root);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`added ${root}`);
  });

  it('refuses a folder inside one already added, one containing it, a file and a missing path', async () => {
    const cases: [string, RegExp][] = [
      [path.join(root, 'sub'), /is inside .*already in the library/],
      [path.dirname(root), /contains .*already in the library/],
      [files[0]!, /is not a folder/],
      [path.join(tmp, 'no-such-folder'), /is not a folder/],
    ];
    for (const [folder, message] of cases) {
      const r = await sb('add', folder);
      expect(r.code, `add ${folder}: ${r.stderr}`).not.toBe(0);
      expect(r.code).not.toBeNull();
      expect(r.stderr).toMatch(message);
      expect(r.stderr).toContain(folder);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(r.stdout).toBe('');
    }
  });

  it('index on a pipe: plain progress lines on stderr, only the summary on stdout', async () => {
    const r = await sb('index');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('2 indexed, 0 reused, 0 unchanged, 0 failed, 0 removed\n');
    expect(r.stderr).toContain('scanning folders…\n');
    expect(r.stderr).toMatch(/^2\/2 \(100%\) .*2 indexed, 0 reused, 0 failed$/m);
    // No terminal redraws when stderr is not a TTY.
    expect(r.stderr).not.toContain('\r');
    expect(r.stderr).not.toContain('\x1b');
  });

  it('remove forgets the folder and its entries, and leaves the files alone', async () => {
    const before = status(await sb('status', '--json'));
    expect(before.roots.map((x) => x.path)).toEqual([root]);
    expect(before.photos).toBe(2);

    const r = await sb('remove', root);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`removed ${root} (2 photo entries`);

    const after = status(await sb('status', '--json'));
    expect(after.roots).toEqual([]);
    expect(after.photos).toBe(0);
    for (const f of files) expect((await stat(f)).isFile()).toBe(true);
    expect(hits(await sb('search', 'red', '--json'))).toEqual([]);
  });
});

describe('shoebox index / search / similar / status on one library', () => {
  let lib = '';
  let root = '';
  let sb: (...args: string[]) => Promise<CliResult>;
  const p = (rel: string): string => path.join(root, rel);

  beforeAll(async () => {
    lib = path.join(tmp, 'lib-main');
    root = path.join(tmp, 'main', 'photos');
    sb = cliFor(lib, model);
    const pair = halves(colour('red'), colour('blue'));
    await Promise.all([
      writePhoto(p('red.jpg'), solid(colour('red')), { mtime: new Date('2020-03-15T12:00:00Z') }),
      writePhoto(p('trip/red-dark.png'), solid([200, 20, 40]), { mtime: new Date('2021-07-10T12:00:00Z') }),
      writePhoto(p('blue.jpg'), solid(colour('blue'))),
      writePhoto(p('green.png'), solid(colour('green'))),
      writePhoto(p('trip/yellow.jpg'), solid(colour('yellow'))),
      // Taken (EXIF) in June 2019, modified in 2023: dates come from EXIF first.
      writePhoto(p('dated.jpg'), solid(colour('orange')), {
        takenAt: new Date(2019, 5, 15, 12),
        mtime: new Date('2023-01-10T12:00:00Z'),
      }),
      writePhoto(p('pair/original.png'), pair.clone()),
      writeExifRotated(p('pair/exif-rotated.jpg'), pair.clone()),
      writeRotated180(p('pair/rotated-180.png'), pair.clone()),
      // Close to the original (red left, purple right): it beats the EXIF copy unless the
      // decoder applies the orientation (then the copy is the same picture).
      writePhoto(p('pair/near.png'), halves(colour('red'), colour('purple'))),
      writeBroken(p('broken.jpg')),
    ]);
    const added = await sb('add', root);
    expect(added.code, added.stderr).toBe(0);
  });

  it('index --json prints one JSON object of counts; a broken file is counted as failed', async () => {
    const r = await sb('index', '--json');
    expect(counts(r)).toEqual({ indexed: 10, reused: 0, unchanged: 0, failed: 1, removed: 0 });
  });

  it('status --json: library, folders, counts, the failure with its reason, the model', async () => {
    const s = status(await sb('status', '--json'));
    expect(s.library).toBe(lib);
    expect(s.roots).toEqual([{ path: root, online: true, photos: 10, failed: 1 }]);
    expect(s.photos).toBe(10);
    expect(s.kinds).toEqual({ photo: 10, video: 0, live: 0, raw: 0 });
    expect(s.failed).toBe(1);
    expect(s.failures).toHaveLength(1);
    expect(s.failures[0]!.path).toBe(p('broken.jpg'));
    expect(s.failures[0]!.root).toBe(root);
    expect(s.failures[0]!.reason).toMatch(/not a supported image|unrecognised|corrupt/);
    expect(s.model).not.toBeNull();
    expect(s.model!.provider).toBe('cpu');
    expect(s.model!.dim).toBe(16);
    expect(s.model!.dir).toBe(model);
    expect(s.model!.calibration).toMatchObject({ family: 'clip', logitScale: 100, tagMargin: 0.02 });
  });

  it('search --json --all: only a JSON array, best first, the red photos on top; --limit is respected', async () => {
    const all = hits(await sb('search', 'red', '--json', '--all'));
    // Every decoded photo, none of them the broken file.
    expect(sorted(paths(all))).toEqual(
      sorted(
        [
          'red.jpg',
          'trip/red-dark.png',
          'blue.jpg',
          'green.png',
          'trip/yellow.jpg',
          'dated.jpg',
          'pair/original.png',
          'pair/exif-rotated.jpg',
          'pair/rotated-180.png',
          'pair/near.png',
        ].map(p),
      ),
    );
    expect(sorted(paths(all.slice(0, 2)))).toEqual(sorted([p('red.jpg'), p('trip/red-dark.png')]));
    expect(all[0]!.score).toBeGreaterThan(0.95);
    expect(all[2]!.score).toBeLessThan(all[1]!.score - 0.1);

    const three = hits(await sb('search', 'red', '--json', '--limit', '3', '--all'));
    expect(paths(three)).toEqual(paths(all.slice(0, 3)));
  });

  it('search shows what matches (the red photos), says how many more match loosely, and explains itself', async () => {
    const matching = hits(await sb('search', 'red', '--json'));
    expect(sorted(paths(matching))).toEqual(sorted([p('red.jpg'), p('trip/red-dark.png')]));
    const plain = await sb('search', 'red');
    expect(plain.stdout).toMatch(/^ {2}1\. .*\n {2}2\. .*\n8 more match loosely \(--all shows them\)\n$/);
    // dated.jpg is orange, and the one photo of June 2019.
    const explained = jsonOutput(await sb('search', 'orange in june 2019 -blue', '--explain', '--json')) as {
      text: string;
      dates: { from: number; to: number }[];
      exclude: string[];
      understood: { kind: string; label: string }[];
      hits: Hit[];
    };
    expect(explained).toMatchObject({
      text: 'orange',
      dates: [{ from: new Date(2019, 5, 1).getTime(), to: new Date(2019, 6, 1).getTime() }],
      exclude: ['blue'],
      understood: [
        { kind: 'date', label: 'June 2019' },
        { kind: 'exclude', label: 'Without blue' },
      ],
    });
    expect(paths(explained.hits)).toEqual([p('dated.jpg')]);
    // Red is not what a photo of June 2019 shows: none is shown rather than the least unlike.
    expect(hits(await sb('search', 'red in june 2019', '--json'))).toEqual([]);
    const told = await sb('search', 'red 2019', '--explain');
    expect(told.stdout).toBe(
      'searching for: red\ntaken: 2019-01-01 – 2019-12-31\nnothing found\n1 more match loosely (--all shows them)\n',
    );
  });

  it('search filters: --folder, --type, --from/--to (EXIF date, else mtime)', async () => {
    const inTrip = hits(await sb('search', 'red', '--json', '--folder', p('trip'), '--all'));
    expect(sorted(paths(inTrip))).toEqual(sorted([p('trip/red-dark.png'), p('trip/yellow.jpg')]));

    const png = hits(await sb('search', 'red', '--json', '--type', 'png', '--all'));
    expect(sorted(paths(png))).toEqual(
      sorted(['trip/red-dark.png', 'green.png', 'pair/original.png', 'pair/rotated-180.png', 'pair/near.png'].map(p)),
    );

    const june2019 = hits(await sb('search', 'red', '--json', '--from', '2019-06-01', '--to', '2019-07-01', '--all'));
    expect(paths(june2019)).toEqual([p('dated.jpg')]);

    const from2020to2022 = hits(
      await sb('search', 'red', '--json', '--from', '2020-01-01', '--to', '2022-01-01', '--all'),
    );
    expect(paths(from2020to2022)).toEqual([p('red.jpg'), p('trip/red-dark.png')]);
  });

  it('similar --json: the photo itself is left out and its EXIF-rotated copy ranks first', async () => {
    const r = hits(await sb('similar', p('pair/original.png'), '--json'));
    expect(paths(r)).not.toContain(p('pair/original.png'));
    expect(r).toHaveLength(9);
    expect(r[0]!.path).toBe(p('pair/exif-rotated.jpg'));
    expect(r[0]!.score).toBeGreaterThan(0.97);
    const upsideDown = paths(r).indexOf(p('pair/rotated-180.png'));
    expect(upsideDown).toBeGreaterThan(0);
    expect(r[upsideDown]!.score).toBeLessThan(r[0]!.score - 0.5);
  });

  it('usage errors exit 2: --limit abc, a bad date, an unknown option', async () => {
    for (const args of [
      ['search', 'red', '--limit', 'abc'],
      ['search', 'red', '--from', 'not-a-date'],
      ['search', 'red', '--bogus'],
    ]) {
      const r = await sb(...args);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/--limit|--from|bogus/);
    }
  });

  it('a second index --json finds everything unchanged', async () => {
    expect(counts(await sb('index', '--json'))).toEqual({
      indexed: 0,
      reused: 0,
      unchanged: 11,
      failed: 0,
      removed: 0,
    });
  });

  it('a moved and a copied photo reuse their embeddings; the old place is removed', async () => {
    await mkdir(p('moved'));
    await rename(p('blue.jpg'), p('moved/blue.jpg'));
    await copyFile(p('green.png'), p('green-copy.png'));
    const c = counts(await sb('index', '--json'));
    expect(c).toEqual({ indexed: 0, reused: 2, unchanged: 10, failed: 0, removed: 1 });

    const blue = hits(await sb('search', 'blue', '--json', '--all'));
    expect(blue[0]!.path).toBe(p('moved/blue.jpg'));
    expect(paths(blue)).not.toContain(p('blue.jpg'));
    expect(paths(blue)).toContain(p('green-copy.png'));
    expect(status(await sb('status', '--json')).photos).toBe(11);
  });
});

describe('shoebox errors', () => {
  it('an unknown command exits 2 with the usage on stderr', async () => {
    const r = await runCli(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('unknown command "frobnicate"');
    expect(r.stderr).toContain('usage: shoebox');
  });

  it('a model folder without onnx/text_model.onnx is refused, naming the file', async () => {
    const bad = await makeTestModel(path.join(tmp, 'model-no-text'));
    await unlink(path.join(bad, 'onnx', 'text_model.onnx'));
    const r = await runCli(['--library', path.join(tmp, 'lib-bad-model'), '--model', bad, 'index', '--json']);
    expect(r.code).not.toBe(0);
    expect(r.code).not.toBeNull();
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('onnx/text_model.onnx');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('a library path that is a file, or holds a corrupt library.json, is refused clearly', async () => {
    const file = path.join(tmp, 'library-is-a-file');
    await writeFile(file, 'not a library');
    const write = await runCli(['--library', file, '--model', model, 'add', tmp]);
    expect(write.code).toBe(1);
    expect(write.stderr).toContain(`cannot create the library at ${file}`);
    const read = await runCli(['--library', file, '--model', model, 'status']);
    expect(read.code).toBe(1);
    expect(read.stderr).toContain(file);
    expect(await stat(file).then((s) => s.isFile())).toBe(true);

    const corrupt = path.join(tmp, 'lib-corrupt');
    await mkdir(corrupt);
    await writeFile(path.join(corrupt, 'library.json'), '{ this is not json');
    const r = await runCli(['--library', corrupt, '--model', model, 'status', '--json']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(path.join(corrupt, 'library.json'));
    expect(r.stderr).toContain('not valid JSON');
    for (const x of [write, read, r]) expect(x.stderr).not.toMatch(/\n\s+at /);
  });

  it('search before any library exists says so, and creates nothing', async () => {
    const lib = path.join(tmp, 'lib-never-made');
    const r = await runCli(['--library', lib, '--model', model, 'search', 'red', '--json']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`no Shoebox library at ${lib}`);
    expect(r.stderr).toContain('shoebox add');
    expect(existsSync(lib)).toBe(false);
  });
});

describe('shoebox watch', () => {
  let lib = '';
  let root = '';
  let watch: RunningCli | null = null;
  let sb: (...args: string[]) => Promise<CliResult>;
  const green = (): string => path.join(root, 'new', 'green.png');

  beforeAll(async () => {
    lib = path.join(tmp, 'lib-watch');
    root = path.join(tmp, 'watch', 'photos');
    sb = cliFor(lib, model);
    await writePhoto(path.join(root, 'red.jpg'), solid(colour('red')));
    await writePhoto(path.join(root, 'blue.png'), solid(colour('blue')));
    await writePhoto(path.join(tmp, 'watch', 'outside', 'green.png'), solid(colour('green')));
    await mkdir(path.join(root, 'new'));
    const added = await sb('add', root);
    expect(added.code, added.stderr).toBe(0);
    watch = startCli(['--library', lib, '--model', model, 'watch'], { timeoutMs: 120_000 });
    await watch.waitForStderr(/watching/, 30_000);
  });

  afterAll(() => {
    if (watch && watch.child.exitCode === null && watch.child.signalCode === null) watch.child.kill('SIGKILL');
  });

  it('a second writer is refused while watch runs, naming the other process', async () => {
    const r = await sb('index', '--json');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('another Shoebox process');
    expect(r.stderr).toContain(`pid ${String(watch!.child.pid)}`);
    expect(r.stderr).toContain('shoebox watch');
  });

  it('search still works while watch runs', async () => {
    const r = hits(await sb('search', 'red', '--json'));
    expect(paths(r)).toEqual([path.join(root, 'red.jpg'), path.join(root, 'blue.png')]);
  });

  it('a photo copied into the folder becomes searchable', async () => {
    await copyFile(path.join(tmp, 'watch', 'outside', 'green.png'), green());
    const top = await eventually(
      async () => {
        const r = hits(await sb('search', 'green', '--json', '--limit', '1'));
        return r[0]?.path === green() ? r[0] : undefined;
      },
      15_000,
      `${green()} to be found by search`,
    );
    expect(top.score).toBeGreaterThan(0.95);
  });

  it('a deleted photo disappears from search', async () => {
    await unlink(green());
    const left = await eventually(
      async () => {
        const r = hits(await sb('search', 'green', '--json'));
        return paths(r).includes(green()) ? undefined : r;
      },
      15_000,
      `${green()} to leave the index`,
    );
    expect(sorted(paths(left))).toEqual(sorted([path.join(root, 'red.jpg'), path.join(root, 'blue.png')]));
  });

  it('SIGINT stops watch with exit 0 and releases the library', async () => {
    const w = watch!;
    expect(w.child.exitCode).toBeNull();
    w.child.kill('SIGINT');
    const r = await exitWithin(w, 5_000);
    expect(r.signal).toBeNull();
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('1 added or changed');
    expect(r.stderr).toMatch(/, 1 removed$/m);
    // The writer lock went with it: the next writer runs, and sees what watch indexed.
    expect(counts(await sb('index', '--json'))).toEqual({ indexed: 0, reused: 0, unchanged: 2, failed: 0, removed: 0 });
  });
});

describe('shoebox index, interrupted with Ctrl-C', () => {
  // Enough work that indexing outlasts the first plain progress line (one every 2 s on a pipe):
  // at 512 px the tiny model indexed all 300 in 1.9 s once the indexer got faster.
  const TOTAL = 300;
  let lib = '';
  let sb: (...args: string[]) => Promise<CliResult>;

  beforeAll(async () => {
    lib = path.join(tmp, 'lib-interrupt');
    const root = path.join(tmp, 'interrupt', 'photos');
    sb = cliFor(lib, model);
    await writeManyPhotos(root, TOTAL, 1024);
    const added = await sb('add', root);
    expect(added.code, added.stderr).toBe(0);
  });

  it('stops after the batch in flight, saves it, exits 0; the next run does only the rest', async () => {
    const run = startCli(['--library', lib, '--model', model, '--threads', '1', 'index'], { timeoutMs: 60_000 });
    const progress = await run.waitForStderr(/^(\d+)\/(\d+) \(/m, 30_000);
    expect(Number(progress[2])).toBe(TOTAL);
    if (Number(progress[1]) >= TOTAL)
      throw new Error(`indexing finished before it could be interrupted:\n${run.stderr()}`);
    run.child.kill('SIGINT');
    const r = await exitWithin(run, 15_000);
    expect(r.signal).toBeNull();
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('stopping after the current batch');
    expect(r.stdout).toContain('stopped early');
    const m = /^(\d+) indexed, 0 reused, 0 unchanged, 0 failed, 0 removed$/m.exec(r.stdout);
    expect(m, r.stdout).not.toBeNull();
    const done = Number(m![1]);
    expect(done).toBeGreaterThan(0);
    expect(done).toBeLessThan(TOTAL);

    const second = counts(await sb('index', '--json'));
    expect(second).toEqual({ indexed: TOTAL - done, reused: 0, unchanged: done, failed: 0, removed: 0 });
    const s = status(await sb('status', '--json'));
    expect(s.photos).toBe(TOTAL);
    expect(s.roots[0]!.photos).toBe(TOTAL);
  });
});

describe('terminal output of names the user did not write', () => {
  it('escapes control characters in file names and reasons, and leaves JSON as JSON', async () => {
    const lib = path.join(tmp, 'lib-escapes');
    const root = path.join(tmp, 'escapes');
    // OSC 52 would write the clipboard; CSI 2J would clear the screen; U+009B is CSI in one character.
    const evil = 'x\u001b]52;c;ZXZpbA==\u0007\u001b[2J\u009b31m.jpg';
    await writePhoto(path.join(root, evil), solid(colour('red')));
    await writeBroken(path.join(root, `broken\u001b[1A${evil}`));
    const sb = cliFor(lib, model);
    expect((await sb('add', root)).code).toBe(0);
    await sb('index');
    const shown = await sb('status');
    expect(shown.stdout).toContain('calibrated as clip (logit scale 100): tag margin 0.02, relevance gap 0.04');
    for (const r of [await sb('search', 'red'), shown]) {
      expect(r.code).toBe(0);
      // eslint-disable-next-line no-control-regex -- asserting that none reach the terminal
      expect(r.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
      expect(r.stdout).toContain('x\\x1b]52;c;ZXZpbA==\\x07\\x1b[2J\\x9b31m.jpg');
    }
    const hits = jsonOutput(await sb('search', 'red', '--json')) as { path: string }[];
    expect(hits.map((h) => h.path)).toContain(path.join(root, evil));
    const missing = await sb('similar', path.join(root, `gone\u001b[31m.jpg`));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('gone\\x1b[31m.jpg');
    expect(missing.stderr).not.toContain('\u001b');
  });
});
