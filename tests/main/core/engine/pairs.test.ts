// Items of several files, through the whole engine: an iPhone Live Photo (HEIC by heif-enc + MOV
// by ffmpeg), a RAW+JPEG pair, an Android motion photo (a JPEG with an MP4 appended), and a Live
// Photo whose still and motion were renamed apart (paired by Apple's content identifier).
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import type { Sharp } from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '#core/engine/engine.ts';
import { withContentId } from '#support/apple-live.ts';
import { heicFrom, videoOf } from '#support/media-tools.ts';
import { makeDng } from '#support/raw-files.ts';
import { makeTestModel } from '#support/test-model.ts';

const solid = (background: string, width = 160, height = 120): Sharp =>
  sharp({ create: { width, height, channels: 3, background } });

describe('Engine: Live Photos, RAW+JPEG pairs and motion photos are one item each', () => {
  let tmp = '';
  let photos = '';
  let engine: Engine;
  const at = (name: string): string => join(photos, name);
  const item = async (name: string) => (await engine.listPhotos(0, 50)).items.find((h) => h.path === at(name));
  const paths = async (): Promise<string[]> =>
    (await engine.listPhotos(0, 50)).items.map((h) => h.path.slice(photos.length + 1)).sort();

  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'shoebox-pairs-'));
    photos = join(tmp, 'photos');
    await mkdir(photos);
    await writeFile(at('IMG_0001.HEIC'), await heicFrom(await solid('#d03030').png().toBuffer()));
    await videoOf(at('IMG_0001.MOV'), { scenes: [{ colour: 'red', seconds: 2 }], codec: 'mov' });
    const preview = await solid('#30a040', 300, 200).jpeg().toBuffer();
    await writeFile(at('DSC_0002.JPG'), await solid('#30a040').jpeg().toBuffer());
    await writeFile(at('DSC_0002.DNG'), makeDng({ preview: { jpeg: preview, width: 300, height: 200 } }));
    // Google's Motion Photo: the XMP says so, and the movie follows the JPEG's last byte.
    await videoOf(join(tmp, 'motion.mp4'), { scenes: [{ colour: 'blue', seconds: 2 }] });
    const xmp =
      '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">' +
      '<rdf:Description xmlns:GCamera="http://ns.google.com/photos/1.0/camera/" GCamera:MotionPhoto="1"/>' +
      '</rdf:RDF></x:xmpmeta>';
    const still = await solid('#3050d0').jpeg().withXmp(xmp).toBuffer();
    await writeFile(at('PXL_0003.MP.jpg'), Buffer.concat([still, await readFile(join(tmp, 'motion.mp4'))]));
    engine = await Engine.open(
      { libraryDir: join(tmp, 'library'), modelDir: await makeTestModel(join(tmp, 'model')), threads: 1 },
      { write: true, command: 'test' },
    );
    await engine.addRoot(photos);
  });
  afterAll(async () => {
    await engine.close();
    await rm(tmp, { recursive: true, force: true });
  });

  it('indexes each item once: the still is embedded, its motion and RAW are members, never items', async () => {
    expect(await engine.index()).toMatchObject({ indexed: 3, reused: 2, failed: 0 });
    expect(await paths()).toEqual(['DSC_0002.JPG', 'IMG_0001.HEIC', 'PXL_0003.MP.jpg']);
    const live = (await item('IMG_0001.HEIC'))!;
    expect(live.kind).toBe('live');
    const meta = (await engine.photo(live.id))!;
    expect((await engine.members(meta)).map((m) => [m.path, m.role])).toEqual([[at('IMG_0001.MOV'), 'motion']]);
    expect(await engine.motion(meta)).toEqual({ path: at('IMG_0001.MOV'), format: 'mov' });
    const pair = (await engine.photo((await item('DSC_0002.JPG'))!.id))!;
    expect(pair.kind).toBe('photo');
    expect((await engine.members(pair)).map((m) => [m.path, m.role])).toEqual([[at('DSC_0002.DNG'), 'raw']]);
    expect(await engine.motion(pair)).toBeNull();
    // Nothing changed: a second run looks at nothing again, members included.
    expect(await engine.index()).toMatchObject({ indexed: 0, reused: 0, unchanged: 5 });
  });

  it('plays a motion photo from the bytes after its still', async () => {
    const meta = (await engine.photo((await item('PXL_0003.MP.jpg'))!.id))!;
    expect(meta.kind).toBe('live');
    const motion = (await engine.motion(meta))!;
    const whole = await readFile(at('PXL_0003.MP.jpg'));
    const movie = await readFile(join(tmp, 'motion.mp4'));
    expect(motion.slice).toEqual({ start: whole.length - movie.length, length: movie.length });
    expect((await engine.search('blue', { limit: 1 }))[0]?.path).toBe(at('PXL_0003.MP.jpg'));
  });

  it('keeps a motion whose still is deleted as a video of its own, and a still whose motion went as a photo', async () => {
    await rm(at('IMG_0001.HEIC'));
    expect(await engine.index()).toMatchObject({ removed: 1, indexed: 1 });
    expect((await item('IMG_0001.MOV'))?.kind).toBe('video');
    // The still comes back: the video it had become is its motion again, one item as before.
    await writeFile(at('IMG_0001.HEIC'), await heicFrom(await solid('#d03030').png().toBuffer()));
    await engine.index();
    expect(await paths()).toEqual(['DSC_0002.JPG', 'IMG_0001.HEIC', 'PXL_0003.MP.jpg']);
    expect((await item('IMG_0001.HEIC'))?.kind).toBe('live');
    await rm(at('IMG_0001.MOV'));
    expect(await engine.index()).toMatchObject({ removed: 1 });
    expect((await item('IMG_0001.HEIC'))?.kind).toBe('photo');
  });
});

describe('Engine: a Live Photo renamed apart is paired by its content identifier; a RAW alone is a raw item', () => {
  let tmp = '';
  let engine: Engine;
  const A = '5E1F0C1D-2B3A-4C5D-9E8F-A1B2C3D4E5F6';
  const at = (name: string): string => join(tmp, 'photos', name);

  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'shoebox-live-id-'));
    await mkdir(join(tmp, 'photos'));
    // An edited export keeps the still's link but not its name; the movie kept the camera's name.
    await writeFile(at('IMG_E0100.JPG'), withContentId(await solid('#d03030').jpeg().toBuffer(), A));
    await videoOf(at('IMG_0100.MOV'), {
      scenes: [{ colour: 'red', seconds: 2 }],
      codec: 'mov',
      metadata: { 'com.apple.quicktime.content.identifier': A.toLowerCase() },
    });
    // A video of its own (another identifier) and a still whose movie is gone stay items.
    await videoOf(at('IMG_0200.MOV'), {
      scenes: [{ colour: 'blue', seconds: 2 }],
      codec: 'mov',
      metadata: { 'com.apple.quicktime.content.identifier': '00000000-1111-2222-3333-444444444444' },
    });
    await writeFile(
      at('IMG_0300.JPG'),
      withContentId(await solid('#30a040').jpeg().toBuffer(), '99999999-8888-7777-6666-555555555555'),
    );
    // A RAW with no JPEG beside it is an item of its own, of kind raw.
    await writeFile(
      at('DSC_0400.DNG'),
      makeDng({ preview: { jpeg: await solid('#d0d030', 300, 200).jpeg().toBuffer(), width: 300, height: 200 } }),
    );
    engine = await Engine.open(
      { libraryDir: join(tmp, 'library'), modelDir: await makeTestModel(join(tmp, 'model')), threads: 1 },
      { write: true, command: 'test' },
    );
    await engine.addRoot(join(tmp, 'photos'));
  });
  afterAll(async () => {
    await engine.close();
    await rm(tmp, { recursive: true, force: true });
  });

  it('writes the link where exiftool, the reference reader, finds it', async () => {
    const { stdout } = await promisify(execFile)('exiftool', ['-s3', '-Apple:MediaGroupUUID', at('IMG_E0100.JPG')]);
    expect(stdout.trim()).toBe(A);
  });

  it('makes the still and its renamed motion one Live Photo, and leaves the others items', async () => {
    expect(await engine.index()).toMatchObject({ failed: 0 });
    const items = (await engine.listPhotos(0, 50)).items;
    expect(items.map((h) => [h.path.slice(join(tmp, 'photos').length + 1), h.kind]).sort()).toEqual([
      ['DSC_0400.DNG', 'raw'],
      ['IMG_0200.MOV', 'video'],
      ['IMG_0300.JPG', 'photo'],
      ['IMG_E0100.JPG', 'live'],
    ]);
    expect((await engine.status()).kinds).toEqual({ photo: 1, video: 1, live: 1, raw: 1 });
    const still = (await engine.photo(items.find((h) => h.path === at('IMG_E0100.JPG'))!.id))!;
    expect((await engine.members(still)).map((m) => [m.path, m.role])).toEqual([[at('IMG_0100.MOV'), 'motion']]);
    expect(await engine.motion(still)).toEqual({ path: at('IMG_0100.MOV'), format: 'mov' });
  });
});
