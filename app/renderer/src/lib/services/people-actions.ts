// The People screen: reading everyone found in the photos, opening a person's photos, and the
// user's corrections (name, merge, hide). Naming or merging can give a person a new id (an
// unnamed group becomes a person), so whatever shows the old id is moved to the new one.
import { api, reportError } from '../api/index.ts';
import { library } from '../state/library.svelte.ts';
import { notifications } from '../state/notifications.svelte.ts';
import { people } from '../state/people.svelte.ts';
import { viewer } from '../state/viewer.svelte.ts';
import type { PersonEntry } from '../../../../shared/types.ts';
import { plural } from '../utils/format.ts';
import { RequestSequence } from '../utils/live-query.ts';
import { personLabel, reassignFaces } from '../utils/people.ts';

/** A person's photos are read in one go up to this many, as an album's are. */
const PERSON_LIMIT = 1000;

const lists = new RequestSequence();
const pages = new RequestSequence();

function applyList(list: PersonEntry[]): void {
  people.list = list;
  people.loaded = true;
  const open = people.person;
  if (open) people.person = list.find((p) => p.id === open.id) ?? open;
}

export async function loadPeople(): Promise<void> {
  // Without a model the library answers nothing about people; the screen says why instead.
  if (!library.modelReady) return;
  const n = lists.next();
  const list = await api.call('people.list', { hidden: people.showHidden });
  if (list && lists.isCurrent(n)) applyList(list);
}

/** For the viewer's face menu, which offers the named people: read once, then kept current. */
export async function ensurePeople(): Promise<void> {
  if (!people.loaded) await loadPeople();
}

/** Back to everyone, re-read so counts and covers are current. */
export async function showPeopleList(): Promise<void> {
  pages.invalidate();
  people.pane = { kind: 'list' };
  people.person = null;
  people.page = null;
  await loadPeople();
}

export async function openPerson(person: PersonEntry): Promise<void> {
  people.pane = { kind: 'person', id: person.id };
  people.person = person;
  people.page = null;
  people.focused = -1;
  people.view += 1;
  await readPerson(person.id);
}

/** As album-actions' readAlbum: a background refresh (`quiet`) keeps the page on a passing error. */
async function readPerson(id: string, quiet = false): Promise<void> {
  const n = pages.next();
  const r = await api.attempt('people.photos', { id, limit: PERSON_LIMIT });
  const pane = people.pane;
  if (!pages.isCurrent(n) || pane.kind !== 'person' || pane.id !== id) return;
  if (r.ok) {
    people.page = r.data;
    return;
  }
  if (quiet && r.error.code !== 'NOT_FOUND') return;
  if (!quiet) reportError(r.error);
  await showPeopleList();
}

/** The library changed (here, in another window, or faces were found): re-read what shows. */
export async function refreshPeople(): Promise<void> {
  await loadPeople();
  const pane = people.pane;
  if (pane.kind !== 'person') return;
  // Merged into someone else or hidden elsewhere: their page has nothing left to show.
  if (people.loaded && !people.list.some((p) => p.id === pane.id)) await showPeopleList();
  else await readPerson(pane.id, true);
}

/** One change at a time; the answer, or undefined when it was refused (reported) or another ran. */
async function change<T>(run: () => Promise<T | undefined>): Promise<T | undefined> {
  if (people.busy) return undefined;
  people.busy = true;
  try {
    return await run();
  } finally {
    people.busy = false;
  }
}

/** Named or merged: the open page and the open photo's faces follow the person to their id. */
function personChanged(ids: readonly string[], entry: PersonEntry): void {
  const pane = people.pane;
  if (pane.kind === 'person' && ids.includes(pane.id)) {
    people.pane = { kind: 'person', id: entry.id };
    people.person = entry;
  }
  const details = viewer.details;
  if (details) viewer.details = { ...details, faces: reassignFaces(details.faces, ids, entry) };
}

export function startNamePerson(person: { id: string; name: string }): void {
  people.naming = { id: person.id, name: person.name };
}

export function cancelNamePerson(): void {
  if (!people.busy) people.naming = null;
}

/** The dialog stays open on a refusal, with the reason in a toast. */
export async function submitPersonName(name: string): Promise<void> {
  const naming = people.naming;
  if (!naming || name.trim() === '') return;
  const entry = await change(() => api.call('people.name', { id: naming.id, name }));
  if (!entry) return;
  people.naming = null;
  personChanged([naming.id], entry);
  notifications.success(
    naming.name === '' ? `Named “${entry.name}”` : `Renamed to “${entry.name}”`,
    `Search for ${entry.name} to find their ${plural(entry.count, 'photo')}.`,
  );
  await refreshPeople();
}

export function startMerge(person: PersonEntry): void {
  people.merging = person;
  // The dialog picks from everyone, the hidden too when they are shown.
  void ensurePeople();
}

export function cancelMerge(): void {
  if (!people.busy) people.merging = null;
}

/** Every face of the person being merged becomes `into`'s. */
export async function confirmMerge(into: PersonEntry): Promise<void> {
  const from = people.merging;
  if (!from || from.id === into.id) return;
  const entry = await change(() => api.call('people.merge', { id: from.id, into: into.id }));
  if (!entry) return;
  people.merging = null;
  personChanged([from.id, into.id], entry);
  notifications.success(
    `Merged into ${personLabel(entry, 'one person')}`,
    `${entry.name !== '' ? `${entry.name} is` : 'They are'} in ${plural(entry.count, 'photo')} now.`,
  );
  await refreshPeople();
}

export async function setPersonHidden(person: PersonEntry, hidden: boolean): Promise<void> {
  const list = await change(() => api.call('people.hide', { id: person.id, hidden }));
  if (!list) return;
  // The answer leaves the hidden out; with them shown the list is read again.
  if (people.showHidden) await loadPeople();
  else applyList(list);
  if (!hidden) return;
  notifications.success(
    `Hid ${personLabel(person, 'this person')}`,
    'They are off the People screen and out of search; “Show hidden” brings them back.',
  );
  if (people.pane.kind === 'person') await showPeopleList();
}

export async function toggleShowHidden(): Promise<void> {
  people.showHidden = !people.showHidden;
  await loadPeople();
}
