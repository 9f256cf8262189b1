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
import type { PhotoFace as SharedPhotoFace } from '../../../../shared/types.ts';
import type { NameLookup } from '../../search/query-search.ts';

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
  /**
   * The person's best face: the photo's content and the box, as fractions of the photo, or of a
   * video's frame at `atMs` when the person is seen in no item's own picture.
   */
  cover: { hash: string; x: number; y: number; w: number; h: number; atMs: number | null };
}

/** A face in a photo as the contract shows it, with the detector's score for the CLI. */
export interface PhotoFace extends SharedPhotoFace {
  score: number;
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
const groupId = (f: FaceMeta): string => `g-${f.hash.slice(0, 16)}-${f.face}`;

interface Grouped {
  faces: FaceRow[];
  /** Face key → person id (named) or group id. */
  of: Map<string, string>;
  people: Map<string, PersonRow>;
}

/** Which of these contents are sensitive (they stay out of people, as out of automatic albums). */
export type SensitiveCheck = (hashes: readonly string[]) => Promise<Set<string>>;

export class People {
  readonly #db: AlbumDb;
  readonly #store: PhotoStore;
  readonly #sensitive: SensitiveCheck;
  /** The last grouping, kept while every table it was computed from stands at the same version. */
  #cached: { key: string; grouped: Promise<Grouped> } | null = null;
  /** One correction at a time: two namings at once would pick the same new id. */
  #queue: Promise<unknown> = Promise.resolve();
  #stamp = 0;

  constructor(db: AlbumDb, store: PhotoStore, sensitive: SensitiveCheck) {
    this.#db = db;
    this.#store = store;
    this.#sensitive = sensitive;
  }

  /** Grouping is recomputed only after faces, photos, names, corrections, tags or marks changed. */
  async #grouped(): Promise<Grouped> {
    const key = (
      await Promise.all([
        this.#store.faces.version(),
        this.#store.version(),
        ...(['face_marks', 'people', 'tags', 'photo_marks'] as const).map((k) => this.#db.version(k)),
      ])
    ).join('/');
    if (this.#cached?.key !== key) {
      const grouped = this.#group();
      this.#cached = { key, grouped };
      grouped.catch(() => {
        if (this.#cached?.grouped === grouped) this.#cached = null;
      });
    }
    return this.#cached.grouped;
  }

  async #group(): Promise<Grouped> {
    const [faces, marks, people, known] = await Promise.all([
      this.#store.faces.all(),
      this.#db.rows<FaceMarkRow>('face_marks'),
      this.#db.rows<PersonRow>('people'),
      this.#store.knownHashes(),
    ]);
    const inLibrary = faces.filter((f) => known.has(f.hash));
    const sensitive = await this.#sensitive([...new Set(inLibrary.map((f) => f.hash))]);
    const present = inLibrary.filter((f) => !sensitive.has(f.hash));
    const marksOf = new Map<string, FaceMarkRow[]>();
    for (const m of marks) marksOf.set(m.hash, [...(marksOf.get(m.hash) ?? []), m]);
    const inputs: ClusterFace[] = present.map((f) => {
      // The latest decision about this face for each person counts; "is" then wins over "is not".
      const latest = new Map<string, FaceMarkRow>();
      for (const m of marksOf.get(f.hash) ?? []) {
        if (overlap(m, f) < SAME_BOX) continue;
        const seen = latest.get(m.person);
        if (!seen || m.updated_at > seen.updated_at) latest.set(m.person, m);
      }
      const decided = [...latest.values()].sort((a, b) => b.updated_at - a.updated_at);
      const yes = decided.find((m) => m.value > 0);
      return {
        key: faceKey(f),
        embedding: f.embedding,
        quality: f.score * Math.min(1, f.sharpness / 100) * f.w,
        ...(yes ? { person: yes.person } : {}),
        notPeople: decided.filter((m) => m.value < 0).map((m) => m.person),
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
      // A face in an item's own picture first (the picture people know it by), else one from a
      // video's later moment.
      const own = faces.filter((f) => f.at_ms === null);
      const best = (own.length > 0 ? own : faces).reduce((a, b) => (b.w * b.score > a.w * a.score ? b : a));
      out.push({
        id,
        name: row?.name ?? '',
        hidden: row?.hidden ?? false,
        count: new Set(faces.map((f) => f.hash)).size,
        cover: { hash: best.hash, x: best.x, y: best.y, w: best.w, h: best.h, atMs: best.at_ms },
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
          atMs: f.at_ms,
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
  async lookup(): Promise<NameLookup> {
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
  #write<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(fn, fn);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  name(id: string, name: string): Promise<Person> {
    return this.#write(() => this.#name(id, name));
  }

  merge(from: string, into: string): Promise<Person> {
    return this.#write(() => this.#merge(from, into));
  }

  /** Puts one face with a person (`to`), or, with `to` null, says it is not the person it is with now. */
  move(hash: string, face: number, to: string | null): Promise<PhotoFace[]> {
    return this.#write(() => this.#move(hash, face, to));
  }

  hide(id: string, hidden: boolean): Promise<void> {
    return this.#write(() => this.#hide(id, hidden));
  }

  /** Forgets every name and correction (face recognition turned off). */
  forget(): Promise<void> {
    return this.#write(async () => {
      await this.#db.delete('face_marks', 'true');
      await this.#db.delete('people', 'true');
    });
  }

  async #name(id: string, name: string): Promise<Person> {
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
  async #merge(from: string, into: string): Promise<Person> {
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

  async #move(hash: string, face: number, to: string | null): Promise<PhotoFace[]> {
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

  async #hide(id: string, hidden: boolean): Promise<void> {
    const personId = await this.#adopt(id);
    const row = (await this.#db.rows<PersonRow>('people', `id = ${sqlString(personId)}`))[0];
    await this.#db.merge('people', 'id', [{ id: personId, name: row?.name ?? '', hidden, updated_at: Date.now() }]);
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
    // Strictly increasing, so a correction made in the same millisecond as the last still wins.
    const now = (this.#stamp = Math.max(Date.now(), this.#stamp + 1));
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
