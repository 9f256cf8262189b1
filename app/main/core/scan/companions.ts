// Which files belong together as one item, told from the names in one folder, as phones and
// cameras write them: IMG_0001.HEIC + IMG_0001.MOV is a Live Photo (the still is the item, the
// movie its motion); DSC_0001.JPG + DSC_0001.NEF is a RAW+JPEG pair (the JPEG is the item).
// Live Photos renamed apart are paired by their content identifier instead (index/pairing.ts).
import { extname } from 'node:path';
import { RAW_EXTENSIONS } from './photo-files.ts';

export type MemberRole = 'motion' | 'raw';

/** Movies that can be a Live Photo's motion. */
const MOTION_EXTENSIONS = new Set(['mov', 'mp4']);
/** Stills an item can be shown by, most preferred first (iPhones write HEIC; exports write JPEG). */
const STILLS = ['heic', 'heif', 'jpg', 'jpeg'];

const extOf = (name: string): string => extname(name).slice(1).toLowerCase();
/** The name without its extension, compared case-insensitively (IMG_0001.HEIC and IMG_0001.mov). */
export const stemOf = (name: string): string => name.slice(0, name.length - extname(name).length).toLowerCase();

/** What a file would be as a member of another item, or null for a file that is only ever an item. */
export function memberRole(name: string): MemberRole | null {
  const ext = extOf(name);
  if (MOTION_EXTENSIONS.has(ext)) return 'motion';
  if (RAW_EXTENSIONS.has(ext)) return 'raw';
  return null;
}

/** The still that stands for a group of same-stem names: the most preferred kind there is. */
export function stillOf(sameStem: readonly string[]): string | null {
  for (const ext of STILLS) {
    const still = sameStem.find((n) => extOf(n) === ext);
    if (still !== undefined) return still;
  }
  return null;
}

/** The still that `name` belongs to among the same folder's same-stem names, or null. */
export function primaryAmong(name: string, sameStem: readonly string[]): string | null {
  return memberRole(name) === null ? null : stillOf(sameStem);
}

/** The members a still has among the same folder's same-stem names: its motion, its RAW files. */
export function membersAmong(name: string, sameStem: readonly string[]): { name: string; role: MemberRole }[] {
  if (stillOf(sameStem) !== name) return [];
  return sameStem.flatMap((n) => {
    const role = memberRole(n);
    return role ? [{ name: n, role }] : [];
  });
}
