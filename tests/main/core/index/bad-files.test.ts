import { chmod, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_SCRIPT, jsonOutput, startCli } from '#support/cli.ts';
import { heicFrom } from '#support/media-tools.ts';
import { makeTestModel } from '#support/test-model.ts';
import { blackPng } from '../decode/images.ts';

/**
 * How the CLI is started so that a mode-000 file is unreadable to it. Root reads everything
 * through two capabilities; run as root, the CLI keeps its user (so it reads the checkout and
 * node_modules wherever the clone sits, whoever owns the folders above it) and loses just those
 * two, so permissions apply to it as to any user.
 */
function asAnyUser(args: string[]): [string, ...string[]] {
  const node = [process.execPath, CLI_SCRIPT, ...args];
  return process.geteuid?.() === 0
    ? ['setpriv', '--inh-caps=-all', '--bounding-set=-dac_override,-dac_read_search', ...node]
    : [node[0]!, ...node.slice(1)];
}

/** A PNG whose header claims a size no decoder should try to allocate. */
function hugeHeaderPng(width: number, height: number): Buffer {
  const u32 = (n: number): Buffer => {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(n);
    return b;
  };
  const ihdr = Buffer.concat([Buffer.from('IHDR'), u32(width), u32(height), Buffer.from([8, 2, 0, 0, 0])]);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    u32(13),
    ihdr,
    u32(0),
    u32(0),
    Buffer.from('IEND'),
    u32(0),
  ]);
}

/** Peak resident memory of a running process, sampled from /proc until it exits. */
function samplePeakRss(pid: number, until: Promise<unknown>): Promise<number> {
  let peak = 0;
  let done = false;
  void until.finally(() => (done = true));
  return new Promise((resolve) => {
    const tick = async (): Promise<void> => {
      const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
      const kb = /VmHWM:\s+(\d+)/.exec(status)?.[1];
      if (kb) peak = Math.max(peak, Number(kb) * 1024);
      if (done) resolve(peak);
      else setTimeout(() => void tick(), 50);
    };
    void tick();
  });
}

describe('a corpus of awkward and broken files', () => {
  let tmp: string;
  let photos: string;
  let model: string;
  const expected: Record<string, RegExp | 'ok'> = {};

  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'shoebox-bad-'));
    model = await makeTestModel(join(tmp, 'model'));
    photos = join(tmp, 'photos');
    await mkdir(photos);
    const good = await sharp({ create: { width: 200, height: 150, channels: 3, background: '#c03030' } })
      .jpeg()
      .toBuffer();
    const put = async (name: string, data: Buffer | Promise<Buffer>, want: RegExp | 'ok'): Promise<void> => {
      await writeFile(join(photos, name), await data);
      expected[name] = want;
    };
    await put('empty.jpg', Buffer.alloc(0), /empty file/);
    await put('truncated.jpg', good.subarray(0, good.length >> 1), /corrupt or truncated/);
    await put(
      'random bytes.png',
      Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 131) % 256)),
      /not a supported image/,
    );
    await put(
      'corrupt-header.jpg',
      Buffer.concat([good.subarray(0, 20), Buffer.alloc(200, 0xff), good.subarray(220)]),
      /corrupt|truncated|not a supported/,
    );
    await put('bomb.png', blackPng(20000, 20000), /too large/);
    // Its chunk checksums are left at zero, so a decoder may call it corrupt before reading the size.
    await put('huge-header.png', hugeHeaderPng(100_000, 100_000), /too large|corrupt/);
    await put(
      'one-pixel.png',
      sharp({ create: { width: 1, height: 1, channels: 3, background: '#00f' } })
        .png()
        .toBuffer(),
      'ok',
    );
    await put(
      'panorama.jpg',
      sharp({ create: { width: 8000, height: 300, channels: 3, background: '#0a0' } })
        .jpeg()
        .toBuffer(),
      'ok',
    );
    await put(
      'cmyk.jpg',
      sharp({ create: { width: 120, height: 90, channels: 3, background: '#dd2' } })
        .toColourspace('cmyk')
        .jpeg()
        .toBuffer(),
      'ok',
    );
    await put(
      'deep-16bit.png',
      sharp({ create: { width: 90, height: 90, channels: 3, background: '#888' } })
        .toColourspace('rgb16')
        .png()
        .toBuffer(),
      'ok',
    );
    await put(
      'alpha.png',
      sharp({ create: { width: 80, height: 80, channels: 4, background: { r: 0, g: 0, b: 255, alpha: 0.4 } } })
        .png()
        .toBuffer(),
      'ok',
    );
    await put(
      'café crème – été.webp',
      sharp({ create: { width: 64, height: 64, channels: 3, background: '#a52' } })
        .webp()
        .toBuffer(),
      'ok',
    );
    await put(
      'line\nbreak.jpg',
      sharp({ create: { width: 64, height: 48, channels: 3, background: '#5a2' } })
        .jpeg()
        .toBuffer(),
      'ok',
    );
    await put(
      'it\'s "quoted".jpg',
      sharp({ create: { width: 66, height: 48, channels: 3, background: '#25a' } })
        .jpeg()
        .toBuffer(),
      'ok',
    );
    // Formats by content, not by name: an SVG named .jpg is refused, a HEIC named .jpg is a photo.
    await put(
      'drawing.jpg',
      Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9"><script>fetch("/api")</script></svg>'),
      /not a raster image/,
    );
    const heic = await heicFrom(
      await sharp({ create: { width: 96, height: 64, channels: 3, background: '#3a8' } })
        .png()
        .toBuffer(),
    );
    await put('iphone.HEIC', heic, 'ok');
    await put(
      'really-a-heic.jpg',
      heicFrom(
        await sharp({ create: { width: 64, height: 96, channels: 3, background: '#a38' } })
          .png()
          .toBuffer(),
      ),
      'ok',
    );
    await put('cut.heic', heic.subarray(0, heic.length >> 1), /corrupt or truncated HEIC/);
    await put('notes.heic', Buffer.from('shopping list: milk, eggs'), /not a supported image/);
    await put(
      'unreadable.jpg',
      sharp({ create: { width: 70, height: 50, channels: 3, background: '#222' } })
        .jpeg()
        .toBuffer(),
      /permission denied|EACCES/i,
    );
    await chmod(join(photos, 'unreadable.jpg'), 0o000);
    await mkdir(join(photos, 'loop'));
    await symlink('..', join(photos, 'loop', 'up'));
  });
  afterAll(async () => rm(tmp, { recursive: true, force: true }));

  it('indexes what can be indexed, reports the rest with a reason, stays bounded and never hangs', async () => {
    const base = ['--library', join(tmp, 'library'), '--model', model];
    const cli = async (...args: string[]): Promise<{ out: unknown; peak: number }> => {
      const run = startCli([], { command: asAnyUser([...base, ...args]), timeoutMs: 60_000 });
      const peak = samplePeakRss(run.child.pid!, run.done);
      const result = await run.done;
      return { out: jsonOutput(result, args), peak: await peak };
    };
    await cli('add', photos).catch(() => undefined);
    const { out: summary, peak } = await cli('index', '--json');
    const ok = Object.values(expected).filter((v) => v === 'ok').length;
    expect(summary).toEqual({
      indexed: ok,
      reused: 0,
      unchanged: 0,
      failed: Object.keys(expected).length - ok,
      removed: 0,
    });
    expect(peak).toBeLessThan(1.5 * 1024 ** 3);
    const { out } = await cli('status', '--json');
    const failures = new Map(
      (out as { failures: { path: string; reason: string }[] }).failures.map((f) => [
        f.path.slice(photos.length + 1),
        f.reason,
      ]),
    );
    for (const [name, want] of Object.entries(expected)) {
      if (want === 'ok') expect(failures.has(name), name).toBe(false);
      else expect(failures.get(name), name).toMatch(want);
    }
    console.log(
      `bad-file corpus: ${Object.keys(expected).length} files, ${ok} indexed, peak RSS ${(peak / 1048576).toFixed(0)} MB`,
    );
  }, 120_000);
});
