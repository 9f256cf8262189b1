import { resolve } from 'node:path';
import type { Person, PhotoFace } from '../core/albums/people/people.ts';
import type { Engine } from '../core/engine/engine.ts';

/** The people commands main.ts dispatches here. */
export const PEOPLE_COMMANDS: ReadonlySet<string> = new Set(['people', 'person', 'faces']);

export const PEOPLE_USAGE = `  people [--json]          everyone in the photos: named people first, then unnamed groups
  person name <id> <name>                    name a person (or a group of unnamed faces)
  person merge <id> <into id>                the first person's faces become the second's
  person hide <id> | person show <id>        keep a person off the list, or bring them back
  faces <photo> [--json]   the faces in a photo: box, score, who
  faces off | faces on     turn face recognition off (deletes every face and name) or on
`;

/** A malformed people command line: main.ts prints it and exits 2. */
export class PeopleUsageError extends Error {}

const PERSON: Record<string, number> = { name: 2, merge: 2, hide: 1, show: 1 };

/** Checks the command line before the library is opened, and says whether it writes. */
export function checkPeopleCommand(command: string, args: readonly string[]): { write: boolean } {
  if (command === 'people') {
    if (args.length !== 0) throw new PeopleUsageError('expected no arguments');
    return { write: false };
  }
  if (command === 'faces') {
    if (args.length !== 1 || args[0] === '') throw new PeopleUsageError('expected one photo path, or off, or on');
    return { write: args[0] === 'off' || args[0] === 'on' };
  }
  const [sub, ...rest] = args;
  const count = PERSON[sub ?? ''];
  if (count === undefined) throw new PeopleUsageError(`expected one of: ${Object.keys(PERSON).join(', ')}`);
  if (rest.length !== count || rest.some((a) => a.trim() === ''))
    throw new PeopleUsageError(`person ${sub} expects ${count === 2 ? 'an id and a name or id' : 'an id'}`);
  return { write: true };
}

export function formatPeople(list: readonly Person[]): string {
  if (list.length === 0) return 'no people yet (faces are found while indexing; a person needs 3 faces)\n';
  return (
    list.map((p) => `${String(p.count).padStart(6)}  ${p.name === '' ? '(unnamed)' : p.name}  [${p.id}]`).join('\n') +
    '\n'
  );
}

export function formatFaces(faces: readonly PhotoFace[]): string {
  if (faces.length === 0) return 'no faces found in this photo\n';
  const pct = (v: number): string => `${Math.round(v * 100)}%`;
  return (
    faces
      .map((f) => {
        const who = f.person ? `${f.person.name === '' ? '(unnamed)' : f.person.name} [${f.person.id}]` : '-';
        // A video's face from a later moment than the poster: the box is in that frame.
        const when = f.atMs === null ? '' : ` (in the frame at ${(f.atMs / 1000).toFixed(1)} s)`;
        return `${f.face}  at ${pct(f.x)},${pct(f.y)}${when} size ${pct(f.w)}×${pct(f.h)}  score ${f.score.toFixed(2)}  ${who}`;
      })
      .join('\n') + '\n'
  );
}

export async function runPeopleCommand(
  engine: Engine,
  command: string,
  args: string[],
  json: boolean,
): Promise<string> {
  const people = await engine.people();
  if (command === 'people') {
    const list = await people.list();
    return json
      ? JSON.stringify(list.map((p) => ({ id: p.id, name: p.name, count: p.count }))) + '\n'
      : formatPeople(list);
  }
  if (command === 'faces') {
    const [what = ''] = args;
    if (what === 'off' || what === 'on') {
      await engine.setFaceRecognition(what === 'on');
      return what === 'on'
        ? 'face recognition is on: faces are found at the next index\n'
        : 'face recognition is off: every face and name was deleted\n';
    }
    const faces = await people.facesOf(resolve(what));
    return json ? JSON.stringify(faces) + '\n' : formatFaces(faces);
  }
  const [sub, id = '', other = ''] = args;
  switch (sub) {
    case 'name': {
      const p = await people.name(id, other);
      return `${p.name} [${p.id}]: ${p.count} photos\n`;
    }
    case 'merge': {
      const p = await people.merge(id, other);
      return `merged into ${p.name === '' ? '(unnamed)' : p.name} [${p.id}]: ${p.count} photos\n`;
    }
    default:
      await people.hide(id, sub === 'hide');
      return `${sub === 'hide' ? 'hidden' : 'shown'}: ${id}\n`;
  }
}
