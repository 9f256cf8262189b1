// Faces in the viewer (the boxes over the photo, the menu a face opens, putting a face with
// someone else or taking it off the person it is with) and face recognition itself, on or off.
import { api } from '../api/index.ts';
import { library } from '../state/library.svelte.ts';
import { notifications } from '../state/notifications.svelte.ts';
import { people } from '../state/people.svelte.ts';
import { ui } from '../state/ui.svelte.ts';
import { viewer } from '../state/viewer.svelte.ts';
import type { PersonEntry, PhotoFace } from '../../../../shared/types.ts';
import { personLabel } from '../utils/people.ts';
import { ensurePeople, openPerson, refreshPeople, showPeopleList, startNamePerson } from './people-actions.ts';
import { closeViewer, openViewer, viewerPhoto } from './viewer-actions.ts';

export function toggleFaces(): void {
  viewer.showFaces = !viewer.showFaces;
}

/** Opens one face's menu (null closes it); the menu offers the named people, read on first need. */
export function openFaceMenu(face: number | null): void {
  viewer.face = face;
  if (face !== null) void ensurePeople();
}

/** `to` null: the face is not the person it is grouped with. */
export async function moveFace(face: PhotoFace, to: PersonEntry | null): Promise<void> {
  const photo = viewerPhoto();
  if (!photo) return;
  viewer.face = null;
  const faces = await api.call('people.moveFace', { photoId: photo.id, face: face.face, to: to?.id ?? null });
  if (!faces) return;
  if (viewer.details?.id === photo.id) viewer.details = { ...viewer.details, faces };
  notifications.success(
    to ? `Marked as ${to.name}` : `Not ${personLabel(face.person, 'this person')}`,
    to ? `The face is with ${to.name}’s photos now.` : 'The face was taken off their photos.',
  );
  leavePersonPage(photo.id, faces);
  await refreshPeople();
}

/**
 * Opened from a person's photos, a photo that is no longer theirs leaves the grid at once (as a
 * photo taken out of an album does); the viewer moves on to the one that takes its place.
 */
function leavePersonPage(photoId: string, faces: readonly PhotoFace[]): void {
  const pane = people.pane;
  const page = people.page;
  if (viewer.source !== 'person' || pane.kind !== 'person' || !page) return;
  if (faces.some((f) => f.person?.id === pane.id)) return;
  const items = page.items.filter((p) => p.id !== photoId);
  people.page = { ...page, items, total: page.total - (page.items.length - items.length) };
  if (viewer.index === null) return;
  if (items.length === 0) closeViewer();
  else openViewer(Math.min(viewer.index, items.length - 1), 'person');
}

export function nameFace(face: PhotoFace): void {
  viewer.face = null;
  if (face.person) startNamePerson(face.person);
}

/** From a face in the viewer to everyone's photos of that person, on the People screen. */
export async function showPersonOf(face: PhotoFace): Promise<void> {
  const id = face.person?.id;
  if (!id) return;
  await ensurePeople();
  const person = people.list.find((p) => p.id === id);
  if (!person) return;
  closeViewer();
  ui.screen = 'people';
  await openPerson(person);
}

/** Off asks first (it deletes every face and name); on happens at once. */
export function switchFaces(): void {
  if (people.enabled) people.disabling = true;
  else void enableFaces();
}

export function cancelDisableFaces(): void {
  if (!people.busy) people.disabling = false;
}

async function setEnabled(enabled: boolean): Promise<boolean> {
  if (people.busy) return false;
  people.busy = true;
  try {
    const r = await api.call('people.setEnabled', { enabled });
    if (r) people.enabled = r.enabled;
    return r !== undefined;
  } finally {
    people.busy = false;
  }
}

/** Deletes every face, name and correction: asked for through the confirmation only. */
export async function confirmDisableFaces(): Promise<void> {
  if (!people.disabling || !(await setEnabled(false))) return;
  people.disabling = false;
  if (viewer.details) viewer.details = { ...viewer.details, faces: [] };
  notifications.success('Face recognition is off', 'Every face and name was deleted. Your photos are not touched.');
  await showPeopleList();
}

export async function enableFaces(): Promise<void> {
  if (!(await setEnabled(true))) return;
  // Faces are found as photos are indexed: an index now finds them in the photos already there.
  const state = await api.call('index.start', {});
  if (state) library.index = state;
  notifications.success(
    'Face recognition is on',
    'Faces are being found in your photos; a person appears once seen in 3 photos.',
  );
}
