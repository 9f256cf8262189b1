// The ids thumbnail URLs name: an item's own thumbnail by its photo id, or the thumbnail of a
// video's moment (kept for the faces in it) as `<photo id>-<ms>`. Only digits and hex: nothing a
// URL has to escape, and nothing that can name a path.

/** What `thumbUrl` is given for a face's picture: the item's own thumbnail, or a video's moment. */
export function thumbId(photoId: string, atMs: number | null): string {
  return atMs === null ? photoId : `${photoId}-${Math.round(atMs)}`;
}

/** A thumbnail id taken apart; null for anything else. */
export function parseThumbId(id: string): { photoId: string; atMs: number | null } | null {
  const m = /^([0-9a-f]{8,64})(?:-(\d{1,9}))?$/.exec(id);
  if (!m) return null;
  return { photoId: m[1]!, atMs: m[2] === undefined ? null : Number(m[2]) };
}
