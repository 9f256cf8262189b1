// How people read and are laid out in the UI. Pure.
import { thumbId } from '../../../../shared/media-ids.ts';
import type { PersonEntry, PhotoFace } from '../../../../shared/types.ts';

/** The thumbnail a person's face is cut from: a photo's, or a video's moment. */
export const coverThumbId = (cover: PersonEntry['cover']): string => thumbId(cover.photoId, cover.atMs);

export interface FaceBox {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Where to put an image, in percentages of a square frame, so the frame shows one face. */
export interface FaceCrop {
  width: number;
  height: number;
  left: number;
  top: number;
}

/**
 * The square of the image around a face, with room for hair and chin (`pad` of the face's size on
 * each side), moved rather than cut where the face is near an edge. The box is in fractions of the
 * image and the square is cut in pixels: a face box is rarely square in fractions.
 */
export function faceCrop(box: FaceBox, width: number, height: number, pad = 0.3): FaceCrop {
  const faceSide = Math.max(box.w * width, box.h * height, 1);
  const side = Math.min(faceSide * (1 + 2 * pad), width, height);
  const clamp = (v: number, max: number): number => Math.min(Math.max(v, 0), Math.max(max, 0));
  const left = clamp((box.x + box.w / 2) * width - side / 2, width - side);
  const top = clamp((box.y + box.h / 2) * height - side / 2, height - side);
  return {
    width: (width / side) * 100,
    height: (height / side) * 100,
    left: (-left / side) * 100,
    top: (-top / side) * 100,
  };
}

/** What a person is called on screen; a group nobody has named yet has no name. */
export function personLabel(person: { name: string } | null | undefined, unnamed = 'Unnamed'): string {
  return person && person.name !== '' ? person.name : unnamed;
}

export interface PeopleSection {
  id: 'named' | 'unnamed';
  title: string;
  people: PersonEntry[];
}

/** Named people, then the groups to name, each in the order the library gives (largest first). */
export function peopleSections(list: readonly PersonEntry[]): PeopleSection[] {
  const sections: PeopleSection[] = [
    { id: 'named', title: 'Named', people: list.filter((p) => p.name !== '') },
    { id: 'unnamed', title: 'Not named yet', people: list.filter((p) => p.name === '') },
  ];
  return sections.filter((s) => s.people.length > 0);
}

/** The people someone can be merged into: everyone else, named first, matching the filter. */
export function mergeTargets(list: readonly PersonEntry[], from: string, filter: string): PersonEntry[] {
  const words = filter.trim().toLowerCase();
  const others = list.filter((p) => p.id !== from && (words === '' || p.name.toLowerCase().includes(words)));
  return [...others.filter((p) => p.name !== ''), ...others.filter((p) => p.name === '')];
}

/** Named people a face can be moved to: everyone named but the person it is with now. */
export function moveTargets(list: readonly PersonEntry[], face: PhotoFace): PersonEntry[] {
  return list.filter((p) => p.name !== '' && p.id !== face.person?.id);
}

/**
 * A photo's faces after people were named or merged: faces that were with one of `ids` are with
 * `to` now (naming or merging an unnamed group gives it a new id).
 */
export function reassignFaces(faces: readonly PhotoFace[], ids: readonly string[], to: PersonEntry): PhotoFace[] {
  return faces.map((f) => (f.person && ids.includes(f.person.id) ? { ...f, person: { id: to.id, name: to.name } } : f));
}
