// Faces in a video beyond its poster: a real video (Debian's ffmpeg) opens on a plain wall, its
// poster, and then shows a real group photo, twice. It is indexed through the Engine, with the generated
// test model and the shipped face models, beside three other versions of that photo. Each of the
// three people is found in the video once, at the later moment, and grouped with their faces in
// the photos; the viewer's boxes stay on the poster.
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '#core/engine/engine.ts';
import { videoMoments } from '#core/index/thumbs.ts';
import { GROUP_PHOTOS } from '#support/face-photos.ts';
import { faceViews } from '#support/face-views.ts';
import { slideshowOf } from '#support/media-tools.ts';
import { makeTestModel } from '#support/test-model.ts';

describe('faces in a video', () => {
  let tmp: string;
  let engine: Engine;
  let video: string;

  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'shoebox-video-faces-'));
    const modelDir = await makeTestModel(join(tmp, 'model'));
    const photos = join(tmp, 'photos');
    await mkdir(photos, { recursive: true });
    for (const v of await faceViews())
      if (v.photo === 1 && !v.name.endsWith('-a.jpg')) await writeFile(join(photos, v.name), v.jpeg);
    const wall = join(tmp, 'wall.png');
    await sharp({ create: { width: 960, height: 540, channels: 3, background: '#b8b2a7' } })
      .png()
      .toFile(wall);
    video = join(photos, 'party.mp4');
    // The photo twice, so that two of the moments kept show it.
    await slideshowOf(video, [
      { image: wall, seconds: 4 },
      { image: GROUP_PHOTOS[0]!, seconds: 6 },
      { image: wall, seconds: 2 },
      { image: GROUP_PHOTOS[0]!, seconds: 4 },
    ]);
    engine = await Engine.open(
      { libraryDir: join(tmp, 'library'), modelDir, threads: 1 },
      { write: true, command: 'test' },
    );
    await engine.addRoot(photos);
    await engine.index();
  }, 180_000);
  afterAll(async () => {
    await engine?.close();
    await rm(tmp, { recursive: true, force: true });
  });

  it('finds each person once, at the moment they are in, none on the plain poster', async () => {
    const people = await engine.people();
    const faces = await people.facesOf(video);
    expect(faces).toHaveLength(3);
    for (const f of faces) {
      expect(f.atMs).not.toBeNull();
      expect(f.atMs).toBeGreaterThanOrEqual(4000);
    }
    expect(new Set(faces.map((f) => f.person?.id))).toHaveLength(3);
  });

  it('groups the people in the video with their faces in the photos', async () => {
    const people = await engine.people();
    const list = await people.list();
    expect(list).toHaveLength(3);
    // Each in the three photos and the video.
    for (const p of list) expect(p.count).toBe(4);
    const inVideo = new Set((await people.facesOf(video)).map((f) => f.person?.id));
    expect(new Set(list.map((p) => p.id))).toEqual(inVideo);
  });

  it('still finds them when one moment’s thumbnail is unreadable, leaving that moment out', async () => {
    const people = await engine.people();
    const before = await people.facesOf(video);
    // The one video's moments: the only thumbnails named <hash>@<ms>.webp.
    const thumbs = join(tmp, 'library', 'thumbs');
    const named = (await readdir(thumbs, { recursive: true })).find((n) => n.includes('@'))!;
    const moments = await videoMoments(thumbs, basename(named).split('@')[0]!);
    expect(moments.length).toBeGreaterThan(1);
    const broken = moments.find((m) => m.atMs === before[0]!.atMs)!;
    await writeFile(broken.file, 'not a picture');
    // Faces off and on: every item is looked at again at the next index.
    await engine.setFaceRecognition(false);
    await engine.setFaceRecognition(true);
    await engine.index();
    const after = await people.facesOf(video);
    expect(after).toHaveLength(3);
    expect(after.every((f) => f.atMs !== null && f.atMs !== broken.atMs)).toBe(true);
  });
});
