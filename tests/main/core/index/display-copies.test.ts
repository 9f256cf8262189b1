// What the viewer is handed for each photo: the original where a browser shows it, a rendered,
// upright WebP copy for HEIC, RAW and TIFF, made once and kept beside the thumbnails.
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '#core/engine/engine.ts';
import { heicFrom } from '#support/media-tools.ts';
import { makeDng } from '#support/raw-files.ts';
import { makeTestModel } from '#support/test-model.ts';

describe('display copies (real HEIC, DNG and TIFF files, a real library)', () => {
  let tmp: string;
  let photos: string;
  let engine: Engine;

  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'shoebox-display-'));
    photos = join(tmp, 'photos');
    await mkdir(photos);
    const png = (w: number, h: number, colour: string): Promise<Buffer> =>
      sharp({ create: { width: w, height: h, channels: 3, background: colour } })
        .png()
        .toBuffer();
    await writeFile(join(photos, 'phone.heic'), await heicFrom(await png(300, 200, '#c33')));
    const preview = await sharp(await png(360, 240, '#3c3'))
      .jpeg()
      .toBuffer();
    await writeFile(
      join(photos, 'camera.dng'),
      makeDng({ preview: { jpeg: preview, width: 360, height: 240 }, orientation: 8 }),
    );
    await writeFile(
      join(photos, 'scan.tif'),
      await sharp(await png(100, 80, '#33c'))
        .tiff()
        .toBuffer(),
    );
    await writeFile(
      join(photos, 'plain.jpg'),
      await sharp(await png(90, 60, '#cc3'))
        .jpeg()
        .toBuffer(),
    );
    engine = await Engine.open(
      { libraryDir: join(tmp, 'library'), modelDir: await makeTestModel(join(tmp, 'model')), threads: 1 },
      { write: true, command: 'test' },
    );
    await engine.addRoot(photos);
    expect(await engine.index()).toMatchObject({ indexed: 4, failed: 0 });
  });
  afterAll(async () => {
    await engine.close();
    await rm(tmp, { recursive: true, force: true });
  });

  const shown = async (name: string): Promise<{ path: string; format: string }> => {
    const { items } = await engine.listPhotos(0, 10);
    const hit = items.find((h) => h.path === join(photos, name))!;
    return engine.viewableFile((await engine.photo(hit.id))!);
  };

  it('hands over a JPEG as it is', async () => {
    expect(await shown('plain.jpg')).toEqual({ path: join(photos, 'plain.jpg'), format: 'jpeg' });
  });

  it('renders HEIC, RAW and TIFF once into upright WebP copies in the library', async () => {
    const expected: [string, number, number][] = [
      ['phone.heic', 300, 200],
      // Orientation 8 on the RAW: the landscape preview is shown portrait.
      ['camera.dng', 240, 360],
      ['scan.tif', 100, 80],
    ];
    for (const [name, width, height] of expected) {
      const copy = await shown(name);
      expect(copy.format).toBe('webp');
      expect(copy.path.startsWith(engine.library.displayCopiesDir)).toBe(true);
      const meta = await sharp(copy.path).metadata();
      expect([meta.format, meta.width, meta.height], name).toEqual(['webp', width, height]);
      const made = (await stat(copy.path)).mtimeMs;
      expect((await shown(name)).path).toBe(copy.path);
      expect((await stat(copy.path)).mtimeMs).toBe(made);
    }
  });
});
