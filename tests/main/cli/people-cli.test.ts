// People through the real CLI: a folder of real group photos (four versions of each, so each of
// the 21 people is in four photos, the woman in two of the group photos in eight) is indexed;
// faces are found and grouped; naming one person makes their name searchable, alone, with a
// description and with --person; a merge and the names survive a re-index in a new process;
// turning faces off deletes every face and name.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliFor, jsonOutput } from '#support/cli.ts';
import { faceViews } from '#support/face-views.ts';
import { makeTestModel } from '#support/test-model.ts';

interface PersonOut {
  id: string;
  name: string;
  count: number;
}
interface FaceOut {
  face: number;
  x: number;
  w: number;
  person: { id: string; name: string } | null;
}
interface HitOut {
  path: string;
}

describe('shoebox people, person, faces', () => {
  let tmp = '';
  let photos = '';
  let sb: ReturnType<typeof cliFor>;
  const people = async (): Promise<PersonOut[]> => jsonOutput(await sb('people', '--json'), ['people']) as PersonOut[];

  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'shoebox-people-cli-'));
    photos = path.join(tmp, 'photos');
    await mkdir(photos);
    for (const v of await faceViews()) await writeFile(path.join(photos, v.name), v.jpeg);
    sb = cliFor(path.join(tmp, 'library'), await makeTestModel(path.join(tmp, 'model')));
    expect((await sb('add', photos)).code).toBe(0);
    const indexed = await sb('index', '--json');
    expect(indexed.code, indexed.stderr).toBe(0);
  }, 240_000);
  afterAll(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  it('finds each person once, in the photos they are in', async () => {
    const list = await people();
    expect(list.length).toBeGreaterThanOrEqual(20);
    expect(list.length).toBeLessThanOrEqual(21);
    // The woman in two of the group photos: recognised across them, so one person in eight photos.
    expect(list.filter((p) => p.count === 8)).toHaveLength(1);
    for (const p of list) {
      expect(p.name).toBe('');
      expect(p.count === 8 || (p.count >= 3 && p.count <= 4)).toBe(true);
    }
    const faces = jsonOutput(await sb('faces', path.join(photos, 'sample6-a.jpg'), '--json'), ['faces']) as FaceOut[];
    expect(faces).toHaveLength(4);
    expect(new Set(faces.map((f) => f.person?.id)).size).toBe(4);
  }, 60_000);

  it('names a person, whose name then finds their photos alone, with words, and with --person', async () => {
    const faces = jsonOutput(await sb('faces', path.join(photos, 'sample1-a.jpg'), '--json'), ['faces']) as FaceOut[];
    // The woman on the left of the first photo.
    const left = [...faces].sort((a, b) => a.x - b.x)[0]!;
    const named = await sb('person', 'name', left.person!.id, 'Ann');
    expect(named.code, named.stderr).toBe(0);
    expect(named.stdout).toMatch(/^Ann \[p1\]: [34] photos$/m);
    const expected = ['sample1-a.jpg', 'sample1-b.jpg', 'sample1-c.jpg', 'sample1-d.jpg'];
    const alone = jsonOutput(await sb('search', 'Ann', '--json'), ['search']) as HitOut[];
    expect(alone.length).toBeGreaterThanOrEqual(3);
    for (const h of alone) expect(expected).toContain(path.basename(h.path));
    const withWords = jsonOutput(await sb('search', 'Ann at the beach', '--json', '--all'), ['search']) as HitOut[];
    expect(withWords.map((h) => path.basename(h.path)).sort()).toEqual(alone.map((h) => path.basename(h.path)).sort());
    const flagged = jsonOutput(await sb('search', '--person', 'Ann', '--json'), ['search']) as HitOut[];
    expect(flagged.map((h) => h.path).sort()).toEqual(alone.map((h) => h.path).sort());
    const unknown = await sb('search', 'dog', '--person', 'Zed');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('nobody is named "Zed"');
  }, 120_000);

  it('keeps names and merges through a re-index in a new process', async () => {
    const before = await people();
    const ann = before.find((p) => p.name === 'Ann')!;
    // Someone from another photo, so the two share no photo and their counts add up.
    const inSecond = jsonOutput(await sb('faces', path.join(photos, 'sample2-a.jpg'), '--json'), [
      'faces',
    ]) as FaceOut[];
    const other = before.find((p) => p.id === inSecond[0]!.person!.id)!;
    const merged = await sb('person', 'merge', other.id, ann.id);
    expect(merged.code, merged.stderr).toBe(0);
    const after = await people();
    expect(after.find((p) => p.id === ann.id)!.count).toBe(ann.count + other.count);
    expect(after.find((p) => p.id === other.id)).toBeUndefined();
    // A new index (a new process) leaves names and merges as they were.
    expect((await sb('index')).code).toBe(0);
    expect((await people()).find((p) => p.id === ann.id)).toEqual(after.find((p) => p.id === ann.id));
  }, 120_000);

  it('refuses a bad person command, and turning faces off deletes every face and name', async () => {
    expect((await sb('person', 'rename', 'p1', 'x')).code).toBe(2);
    expect((await sb('person', 'name', 'p999', 'Bob')).code).toBe(1);
    const off = await sb('faces', 'off');
    expect(off.code, off.stderr).toBe(0);
    expect(await people()).toEqual([]);
    // Off stays off: a new index finds no faces.
    expect((await sb('index')).code).toBe(0);
    expect(await people()).toEqual([]);
  }, 120_000);
});
