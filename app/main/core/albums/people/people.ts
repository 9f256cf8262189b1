// People: the faces found in photos (store/face-table.ts), grouped (faces/face-cluster.ts), with
// the user's names and corrections on top. Names and corrections are user data, kept in the
// album tables and keyed by content hash and face box, never by a face's place in a detector's
// output: they survive re-indexing, moved files and a change of face model (a stored box finds
// the new detection it overlaps most).
import { ShoeboxError } from '../../errors.ts';
import { findPhoto } from '../library-view.ts';
import { clusterFaces } from '../../faces/face-cluster.ts';
import type { ClusterFace } from '../../faces/face-cluster.ts';
import type { FaceMeta, FaceRow } from '../../store/face-table.ts';
import type { PhotoStore } from '../../store/photo-store.ts';
import { sqlIn, sqlString } from '../../store/sql.ts';
import type { AlbumDb } from '../user/album-db.ts';

export interface PersonRow {
  id: string;
  name: string;
  hidden: boolean;
  updated_at: number;
}

/** One correction: this face (by content and box) is `person` (value 1), or is not (value -1). */
export interface FaceMarkRow {
  /** `${hash}:${person}:${x}:${y}`: one decision per face and person. */
  key: string;
  hash: string;
  x: number;
  y: number;
  w: number;
  h: number;
  person: string;
  value: number;
  updated_at: number;
}

export interface Person {
  id: string;
  /** '' for a group of faces nobody has named yet. */
  name: string;
  hidden: boolean;
  /** Photos the person is in. */
  count: number;
  /** The person's best face: the photo's content and the box, as fractions of the photo. */
  cover: { hash: string; x: number; y: number; w: number; h: number };
}

export interface PhotoFace {
  face: number;
  x: number;
  y: number;
  w: number;
  h: number;
  score: number;
  /** The person the face is grouped with, or null for a face on its own. */
  person: { id: string; name: string } | null;
}

/** A stored box stands for a detection it overlaps this much (intersection over union). */
const SAME_BOX = 0.4;

type Box = Pick<FaceMeta, 'x' | 'y' | 'w' | 'h'>;

function overlap(a: Box, b: Box): number {
  const ix = Math.max(0, Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x));
  const iy = Math.max(0, Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y));
  const inter = ix * iy;
  const union = a.w * a.h + b.w * b.h - inter;
  return union > 0 ? inter / union : 0;
}

export const faceKey = (f: Pick<FaceMeta, 'hash' | 'face'>): string => `${f.hash}:${f.face}`;
const groupId = (f: FaceMeta): string => `g-${f.hash.slice(0, 12)}-${f.face}`;

interface Grouped {
  faces: FaceRow[];
  /** Face key → person id (named) or group id. */
  of: Map<string, string>;
  people: Map<string, PersonRow>;
}

export class People {
  readonly #db: AlbumDb;
  readonly #store: PhotoStore;

  constructor(db: AlbumDb, store: PhotoStore) {
    this.#db = db;
    this.#store = store;
  }

  async #grouped(): Promise<Grouped> {
    const [faces, marks, people, known] = await Promise.all([
      this.#store.faces.all(),
      this.#db.rows<FaceMarkRow>('face_marks'),
      this.#db.rows<PersonRow>('people'),
      this.#store.knownHashes(),
    ]);
    const present = faces.filter((f) => known.has(f.hash));
    const marksOf = new Map<string, FaceMarkRow[]>();
    for (const m of marks) marksOf.set(m.hash, [...(marksOf.get(m.hash) ?? []), m]);
    const inputs: ClusterFace[] = present.map((f) => {
      const mine = (marksOf.get(f.hash) ?? []).filter((m) => overlap(m, f) >= SAME_BOX);
      const yes = mine.filter((m) => m.value > 0).sort((a, b) => b.updated_at - a.updated_at)[0];
      return {
        key: faceKey(f),
        embedding: f.embedding,
        quality: f.score * Math.min(1, f.sharpness / 100) * f.w,
        ...(yes ? { person: yes.person } : {}),
        notPeople: mine.filter((m) => m.value < 0).map((m) => m.person),
      };
    });
    const clustered = clusterFaces(inputs).of;
    // An unnamed group is known by its best face, so its id stays put while that face does.
    const byKey = new Map(present.map((f) => [faceKey(f), f]));
    const of = new Map<string, string>();
    for (const [key, id] of clustered) of.set(key, id.startsWith('group:') ? groupId(byKey.get(id.slice(6))!) : id);
    return { faces: present, of, people: new Map(people.map((p) => [p.id, p])) };
  }

  /** Everyone, named first, then by how many photos they are in. */
  async list(opts: { hidden?: boolean } = {}): Promise<Person[]> {
    const g = await this.#grouped();
    const members = new Map<string, FaceRow[]>();
    for (const f of g.faces) {
      const id = g.of.get(faceKey(f));
      if (id !== undefined) members.set(id, [...(members.get(id) ?? []), f]);
    }
    const out: Person[] = [];
    for (const [id, faces] of members) {
      const row = g.people.get(id);
      if (row?.hidden === true && opts.hidden !== true) continue;
      const best = faces.reduce((a, b) => (b.w * b.score > a.w * a.score ? b : a));
      out.push({
        id,
        name: row?.name ?? '',
        hidden: row?.hidden ?? false,
        count: new Set(faces.map((f) => f.hash)).size,
        cover: { hash: best.hash, x: best.x, y: best.y, w: best.w, h: best.h },
      });
    }
    return out.sort((a, b) => Number(b.name !== '') - Number(a.name !== '') || b.count - a.count);
  }

  /** The faces in one photo, with who each is. */
  async facesIn(hash: string): Promise<PhotoFace[]> {
    const g = await this.#grouped();
    return g.faces
      .filter((f) => f.hash === hash)
      .sort((a, b) => a.face - b.face)
      .map((f) => {
        const id = g.of.get(faceKey(f));
        return {
          face: f.face,
          x: f.x,
          y: f.y,
          w: f.w,
          h: f.h,
          score: f.score,
          person: id === undefined ? null : { id, name: g.people.get(id)?.name ?? '' },
        };
      });
  }

  /** The faces in a photo named by its path or id. */
  async facesOf(photo: string): Promise<PhotoFace[]> {
    return this.facesIn((await findPhoto(this.#store, photo)).hash);
  }

  /** The contents a person is in. */
  async hashesOf(id: string): Promise<string[]> {
    const g = await this.#grouped();
    return [...new Set(g.faces.filter((f) => g.of.get(faceKey(f)) === id).map((f) => f.hash))];
  }

  /** The named people, for the search box: their names, and the contents each is in. */
  async lookup(): Promise<{ names: string[]; hashes(name: string): Promise<string[]> }> {
    const people = (await this.#db.rows<PersonRow>('people')).filter((p) => !p.hidden && p.name !== '');
    return {
      names: [...new Set(people.map((p) => p.name))],
      hashes: async (name) => {
        const ids = people.filter((p) => p.name === name).map((p) => p.id);
        return (await Promise.all(ids.map((id) => this.hashesOf(id)))).flat();
      },
    };
  }

  /**
   * Names a person. Naming a group of unnamed faces makes it a person: each of its faces is
   * recorded as theirs, so later grouping cannot take the name away from them.
   */
  async name(id: string, name: string): Promise<Person> {
    const clean = name.trim();
    if (clean === '') throw new ShoeboxError('BAD_REQUEST', 'a name cannot be empty');
    const personId = await this.#adopt(id);
    const row = (await this.#db.rows<PersonRow>('people', `id = ${sqlString(personId)}`))[0];
    await this.#db.merge('people', 'id', [
      { id: personId, name: clean, hidden: row?.hidden ?? false, updated_at: Date.now() },
    ]);
    return this.#person(personId);
  }

  /** Moves every face of `from` to `into`; `from` is gone afterwards. */
  async merge(from: string, into: string): Promise<Person> {
    if (from === into) throw new ShoeboxError('BAD_REQUEST', 'a person cannot be merged with themselves');
    const target = await this.#adopt(into);
    const g = await this.#grouped();
    const faces = g.faces.filter((f) => g.of.get(faceKey(f)) === from);
    if (faces.length === 0) throw new ShoeboxError('NOT_FOUND', `no person ${from}`);
    await this.#mark(faces, target, 1);
    if (g.people.has(from)) {
      await this.#db.delete('face_marks', `person = ${sqlString(from)}`);
      await this.#db.delete('people', `id = ${sqlString(from)}`);
    }
    return this.#person(target);
  }

  /** Puts one face with a person (`to`), or, with `to` null, says it is not the person it is with now. */
  async move(hash: string, face: number, to: string | null): Promise<PhotoFace[]> {
    const g = await this.#grouped();
    const f = g.faces.find((x) => x.hash === hash && x.face === face);
    if (!f) throw new ShoeboxError('NOT_FOUND', `no face ${face} in that photo`);
    const now = g.of.get(faceKey(f));
    if (to === null) {
      if (now === undefined) throw new ShoeboxError('BAD_REQUEST', 'that face is not with anyone');
      await this.#mark([f], await this.#adopt(now), -1);
    } else {
      await this.#db.delete(
        'face_marks',
        `hash = ${sqlString(hash)} AND value > 0 AND ${sqlIn('person', [now ?? ''])}`,
      );
      await this.#mark([f], await this.#adopt(to), 1);
    }
    return this.facesIn(hash);
  }

  async hide(id: string, hidden: boolean): Promise<void> {
    const personId = await this.#adopt(id);
    const row = (await this.#db.rows<PersonRow>('people', `id = ${sqlString(personId)}`))[0];
    await this.#db.merge('people', 'id', [{ id: personId, name: row?.name ?? '', hidden, updated_at: Date.now() }]);
  }

  /** Forgets every name and correction (face recognition turned off). */
  async forget(): Promise<void> {
    await this.#db.delete('face_marks', 'true');
    await this.#db.delete('people', 'true');
  }

  /** A named person's id as it is; an unnamed group becomes a person, its faces recorded as theirs. */
  async #adopt(id: string): Promise<string> {
    if (!id.startsWith('g-')) {
      const known = await this.#db.rows<PersonRow>('people', `id = ${sqlString(id)}`);
      if (known.length === 0) throw new ShoeboxError('NOT_FOUND', `no person ${id}`);
      return id;
    }
    const g = await this.#grouped();
    const faces = g.faces.filter((f) => g.of.get(faceKey(f)) === id);
    if (faces.length === 0) throw new ShoeboxError('NOT_FOUND', `no person ${id} (the people list may have changed)`);
    const ids = (await this.#db.rows<PersonRow>('people', undefined, ['id'])).map((p) => Number(p.id.slice(1)));
    const personId = `p${Math.max(0, ...ids.filter(Number.isFinite)) + 1}`;
    await this.#db.merge('people', 'id', [{ id: personId, name: '', hidden: false, updated_at: Date.now() }]);
    await this.#mark(faces, personId, 1);
    return personId;
  }

  async #mark(faces: readonly FaceMeta[], person: string, value: number): Promise<void> {
    const now = Date.now();
    await this.#db.merge(
      'face_marks',
      'key',
      faces.map((f) => ({
        key: `${f.hash}:${person}:${f.x.toFixed(4)}:${f.y.toFixed(4)}`,
        hash: f.hash,
        x: f.x,
        y: f.y,
        w: f.w,
        h: f.h,
        person,
        value,
        updated_at: now,
      })),
    );
  }

  async #person(id: string): Promise<Person> {
    const found = (await this.list({ hidden: true })).find((p) => p.id === id);
    if (!found) throw new ShoeboxError('NOT_FOUND', `no person ${id}`);
    return found;
  }
}
