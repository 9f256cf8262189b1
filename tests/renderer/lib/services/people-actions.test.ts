// The People screen's and the viewer's face services under Node, against a real LibraryService
// through the same dispatch as Electron's IPC (tests/support/renderer-bridge.ts), on real group
// photos (two of them, four versions each: six people, each in four photos): a person read that
// answers late, naming and merging that give the open person a new id, a face taken off a person
// under the viewer, hiding, and face recognition turned off and on again.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { PersonEntry } from '#shared/types.ts';
import { eventually } from '#support/cli.ts';
import { faceViews } from '#support/face-views.ts';
import { rendererHarness } from '#support/renderer-bridge.ts';
import type { TestBridge } from '#support/renderer-bridge.ts';

type PeopleActions = typeof import('#renderer/lib/services/people-actions.ts');
type FaceActions = typeof import('#renderer/lib/services/face-actions.ts');
type PeopleState = (typeof import('#renderer/lib/state/people.svelte.ts'))['people'];
type ViewerState = (typeof import('#renderer/lib/state/viewer.svelte.ts'))['viewer'];

describe('people and face actions (renderer services, real LibraryService)', () => {
  const harness = rendererHarness();
  let bridge: TestBridge;
  let actions: PeopleActions;
  let faces: FaceActions;
  let openViewer: (typeof import('#renderer/lib/services/viewer-actions.ts'))['openViewer'];
  let people: PeopleState;
  let viewer: ViewerState;
  /** Each person's photo ids, as first found. */
  const photosOf = new Map<string, string[]>();

  const data: TestBridge['data'] = (channel, args) => bridge.data(channel, args);
  const entry = (id: string): PersonEntry => people.list.find((p) => p.id === id)!;
  const ann = (): PersonEntry => people.list.find((p) => p.name === 'Ann')!;
  /** Someone in none of `photos`: from the other group photo. */
  const stranger = (photos: readonly string[]): PersonEntry =>
    people.list.find((p) => p.name === '' && !photosOf.get(p.id)?.some((id) => photos.includes(id)))!;

  async function viewerOn(index: number): Promise<void> {
    openViewer(index, 'person');
    await vi.waitFor(() => expect(viewer.details?.faces.length).toBeGreaterThan(0), { timeout: 10_000 });
  }

  beforeAll(async () => {
    ({ bridge } = harness);
    const folder = path.join(harness.fx.tmp, 'faces');
    await mkdir(folder);
    for (const v of await faceViews()) if (v.photo <= 2) await writeFile(path.join(folder, v.name), v.jpeg);
    actions = await import('#renderer/lib/services/people-actions.ts');
    faces = await import('#renderer/lib/services/face-actions.ts');
    ({ openViewer } = await import('#renderer/lib/services/viewer-actions.ts'));
    people = (await import('#renderer/lib/state/people.svelte.ts')).people;
    viewer = (await import('#renderer/lib/state/viewer.svelte.ts')).viewer;
    await data('roots.add', { path: folder });
    await harness.fx.indexed();
    await (await import('#renderer/lib/services/library-actions.ts')).refreshStatus();
    // Faces are found beside the watching, after the photos are indexed.
    await eventually(
      async () => ((await data('people.list', {})).length >= 5 ? true : undefined),
      60_000,
      'the faces to be grouped into people',
    );
    for (const p of await data('people.list', {}))
      photosOf.set(
        p.id,
        (await data('people.photos', { id: p.id })).items.map((h) => h.id),
      );
  }, 120_000);

  it('lists everyone unnamed, and shows the person opened last when an earlier read answers after it', async () => {
    await actions.showPeopleList();
    expect(people.loaded).toBe(true);
    expect(people.sections.map((s) => s.id)).toEqual(['unnamed']);
    const [first, second] = people.list;
    const slowFirst = bridge.hold('people.photos', (args) => (args as { id: string }).id === first!.id);
    const opening = actions.openPerson(first!);
    await vi.waitFor(() => expect(slowFirst.held()).toBe(1));
    await actions.openPerson(second!);
    slowFirst.release();
    await opening;
    expect(people.pane).toEqual({ kind: 'person', id: second!.id });
    expect(people.page?.items.map((p) => p.id)).toEqual(photosOf.get(second!.id));
  });

  it('names the open group: the page and the open photo’s faces follow it to its new id', async () => {
    const group = people.list[0]!;
    await actions.openPerson(group);
    await viewerOn(0);
    actions.startNamePerson(group);
    await actions.submitPersonName('Ann');
    expect(people.naming).toBeNull();
    const named = ann();
    expect(named.id).toMatch(/^p\d+$/);
    expect(people.pane).toEqual({ kind: 'person', id: named.id });
    expect(people.person?.name).toBe('Ann');
    expect(people.sections.map((s) => s.id)).toEqual(['named', 'unnamed']);
    expect(viewer.details?.faces.filter((f) => f.person?.name === 'Ann')).toHaveLength(1);
    expect(viewer.details?.faces.some((f) => f.person?.id === group.id)).toBe(false);
    photosOf.set(named.id, photosOf.get(group.id)!);
  });

  it('merges the open person into Ann: the page moves to Ann, with both their photos', async () => {
    const before = ann();
    const other = stranger(photosOf.get(before.id)!);
    await actions.openPerson(other);
    actions.startMerge(other);
    await actions.confirmMerge(before);
    expect(people.merging).toBeNull();
    expect(people.pane).toEqual({ kind: 'person', id: before.id });
    expect(ann().count).toBe(before.count + other.count);
    expect(people.list.some((p) => p.id === other.id)).toBe(false);
    expect(people.page?.items).toHaveLength(before.count + other.count);
  });

  it('takes a face off Ann under the viewer: the photo leaves her page and the viewer moves on', async () => {
    const before = people.page!.items.length;
    await viewerOn(0);
    const shown = viewer.details!.id;
    const face = viewer.details!.faces.find((f) => f.person?.name === 'Ann')!;
    await faces.moveFace(face, null);
    expect(people.page?.items.map((p) => p.id)).not.toContain(shown);
    expect(people.page?.items).toHaveLength(before - 1);
    expect(viewer.index).toBe(0);
    await vi.waitFor(() => expect(viewer.details?.id).toBe(people.page!.items[0]!.id));
    expect(ann().count).toBe(before - 1);
  });

  it('hides a person, lists them again with "Show hidden", and shows them again', async () => {
    await actions.showPeopleList();
    const someone = stranger(photosOf.get(ann().id)!);
    await actions.setPersonHidden(someone, true);
    expect(people.list.some((p) => p.id === someone.id)).toBe(false);
    await actions.toggleShowHidden();
    // Hiding a group makes it a person: it is listed under a new id, hidden.
    const hidden = people.list.find((p) => p.hidden)!;
    expect(hidden.count).toBe(someone.count);
    await actions.setPersonHidden(hidden, false);
    expect(entry(hidden.id).hidden).toBe(false);
    await actions.toggleShowHidden();
    expect(people.list.some((p) => p.id === hidden.id)).toBe(true);
  });

  it('turns faces off only once confirmed, which forgets everyone; on again finds them again', async () => {
    faces.switchFaces();
    expect(people.disabling).toBe(true);
    faces.cancelDisableFaces();
    expect(people.enabled).toBe(true);
    faces.switchFaces();
    await faces.confirmDisableFaces();
    expect(people.enabled).toBe(false);
    expect(people.list).toEqual([]);
    await expect(data('people.list', {})).resolves.toEqual([]);
    faces.switchFaces();
    await vi.waitFor(() => expect(people.enabled).toBe(true));
    // Turning it on indexes again, which finds the faces in the photos already there.
    await eventually(
      async () => ((await data('people.list', {})).length >= 5 ? true : undefined),
      60_000,
      'the faces to be found again',
    );
  });
});
