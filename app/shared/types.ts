// Shapes that cross the IPC boundary. Plain data only: no classes, no Node or DOM types.

export interface PhotoHit {
  id: string;
  path: string;
  /** Cosine similarity for search results; null when browsing. */
  score: number | null;
  width: number;
  height: number;
  takenAt: number | null;
  /** EXIF date taken, else the file's modification time (epoch ms). */
  date: number;
  format: string;
  /** 'live': a still with motion (a Live Photo's MOV beside it, or an Android motion photo). */
  kind: 'photo' | 'video' | 'live' | 'raw';
  /** A video's length in ms; null for a photo. */
  durationMs: number | null;
  /** A video found by a search: the moment that matched best, in seconds from its start. */
  at: number | null;
  /** A sensitive tag applies (the model's or the user's): shown blurred until the user asks. */
  sensitive?: boolean;
  /** A search result: why it matched (the picture, text read in it, its file or folder name). */
  matched?: MatchReason[];
}

export type MatchReason = 'image' | 'text' | 'name';

export interface PhotoDetails extends PhotoHit {
  name: string;
  folder: string;
  root: string;
  size: number;
  cameraMake: string | null;
  cameraModel: string | null;
  gpsLat: number | null;
  gpsLon: number | null;
  /** Where it was taken, named offline ("Paris, France"); null without GPS or far from any town. */
  place: string | null;
  /** The item's other files: a Live Photo's motion, the RAW shot with a JPEG. */
  members: { path: string; role: 'motion' | 'raw' }[];
  /** The text read in the photo, line by line; each box's corners are fractions of the upright photo's width and height. */
  text: { text: string; box: [number, number][] }[];
  /** The faces found in the photo, largest first. */
  faces: PhotoFace[];
}

/** A face in a photo: its box as fractions of the upright photo, and who it is. */
export interface PhotoFace {
  /** Its place among the photo's faces; names it in people.moveFace. */
  face: number;
  x: number;
  y: number;
  w: number;
  h: number;
  /**
   * Where in a video it was seen (ms), its box a fraction of that frame; null for the picture
   * shown (a photo, a video's poster), which the box lies on.
   */
  atMs: number | null;
  /** The person it is grouped with (name '' while unnamed), or null for a face on its own. */
  person: { id: string; name: string } | null;
}

/** A person on the People screen: named, or a group of faces nobody has named yet. */
export interface PersonEntry {
  id: string;
  /** '' for a group nobody has named yet. */
  name: string;
  hidden: boolean;
  /** Photos they are in. */
  count: number;
  /**
   * Their best face: the photo to cut it from and the box as fractions of it; for someone seen
   * only at a video's later moments, that moment's frame (`atMs`; media-ids.ts names its thumbnail).
   */
  cover: { photoId: string; x: number; y: number; w: number; h: number; atMs: number | null };
}

/** A script text in photos can be read in: the built-in recogniser, or one to download. */
export interface TextLanguageEntry {
  /** 'built-in', or the download's id. */
  id: string;
  name: string;
  version: string;
  /** ISO 639-1 codes of the languages it reads. */
  languages: string[];
  /** The download's size; 0 for the built-in one. */
  bytes: number;
  installed: boolean;
  inUse: boolean;
  /** False where Shoebox has not run it end to end (its pins were read, not downloaded). */
  verified: boolean;
}

export interface PhotoPage {
  total: number;
  offset: number;
  items: PhotoHit[];
}

export interface RootStatus {
  path: string;
  online: boolean;
  photos: number;
  failed: number;
}

export interface FailedFile {
  path: string;
  reason: string;
}

export interface IndexState {
  running: boolean;
  paused: boolean;
  phase: 'idle' | 'scanning' | 'indexing' | 'watching';
  total: number;
  done: number;
  rate: number;
  etaSeconds: number | null;
  indexed: number;
  reused: number;
  failed: number;
  removed: number;
  error: string | null;
}

export interface ModelState {
  state: 'missing' | 'loading' | 'ready' | 'error';
  message: string | null;
  id: string | null;
  provider: string | null;
  /** After a switch of models: the one still answering searches until `id` has indexed the photos. */
  previous?: string | null;
  /** A model download running, or the last one that failed; null or absent when there is none. */
  download?: ModelDownload | null;
}

export interface ModelDownload {
  /** The catalogue id of the model being downloaded. */
  id: string;
  name: string;
  phase: 'downloading' | 'verifying' | 'resuming' | 'finishing' | 'failed';
  bytes: number;
  total: number;
  /** `total` still holds catalogue estimates the server has not confirmed yet. */
  estimate: boolean;
  /** Bytes per second over the last few seconds. */
  rate: number;
  etaSeconds: number | null;
  /** The file arriving now. */
  file: string;
  /** What went wrong (phase 'failed'), and what to do about it. */
  error: string | null;
  /** It failed because the server could not be reached: most likely this computer is offline. */
  offline: boolean;
}

/** One model the library can use: from the catalogue (downloadable) or imported. */
export interface ModelEntry {
  id: string;
  name: string;
  /** 'folder': a model folder outside the library's models (--model DIR), listed while in use. */
  source: 'catalog' | 'imported' | 'folder';
  installed: boolean;
  /** The library's model: photos are indexed with it. */
  inUse: boolean;
  /** The model in use before a switch, answering searches until the new one has caught up. */
  answering: boolean;
  isDefault: boolean;
  downloading: boolean;
  /** Download size (catalogue) or size on disk; `approximate` when it is an estimate. */
  bytes: number | null;
  approximate: boolean;
  /** Bytes an interrupted download kept; the next install resumes from them. */
  partialBytes: number;
  languages: string[];
  note: string | null;
}

export interface AppStatus {
  library: string;
  photos: number;
  failed: number;
  roots: RootStatus[];
  model: ModelState;
  indexing: IndexState;
  /** Whether faces are found and grouped into people (a library setting). */
  faces: boolean;
}

export type AlbumKind = 'tag' | 'event' | 'place' | 'memory' | 'duplicates' | 'smart' | 'user';

export interface AlbumSummary {
  id: string;
  name: string;
  kind: AlbumKind;
  count: number;
  coverId: string | null;
  /** The cover photo is sensitive: blurred until the user asks to see it. */
  coverSensitive?: boolean;
}

/** A photo as an album shows it: what the grid needs, plus the user's marks. */
export interface AlbumPhoto extends PhotoHit {
  favourite: boolean;
  rating: number | null;
  /** Shown blurred until the user asks to see it. */
  sensitive: boolean;
}

export interface AlbumPage {
  album: AlbumSummary;
  /** Smart albums: the saved search their photos come from. */
  search?: SmartSearch;
  total: number;
  offset: number;
  items: AlbumPhoto[];
}

export interface PhotoTag {
  /** Stable tag id: decisions name it; `name` is what to show. */
  tag: string;
  name: string;
  score: number | null;
  /** 'auto': the model gave it; 'user': only the user's accept puts it there. */
  source: 'auto' | 'user';
  decision: 'accept' | 'reject' | null;
  /** Whether the photo has the tag after the user's decision. */
  applied: boolean;
  sensitive: boolean;
}

export interface PhotoMarks {
  favourite: boolean;
  rating: number | null;
  sensitive: boolean;
}

export interface DuplicateGroup {
  id: string;
  /** 'exact': one content at several paths; 'near': different files of the same picture. */
  kind: 'exact' | 'near';
  photos: DuplicatePhoto[];
  /** The photo to keep; nothing is ever deleted for the user. */
  suggestionId: string;
}

export interface DuplicatePhoto {
  id: string;
  path: string;
  width: number;
  height: number;
  size: number;
  date: number;
  sensitive: boolean;
}

/** What a smart album searches for; its photos are found again every time it is read. */
export interface SmartSearch {
  text: string | null;
  filters: { folder?: string; from?: number; to?: number; types?: string[] } | null;
  /** How many example photos it looks like (0: none). */
  examples: number;
}

/** One tag of the vocabulary the model tags photos with. */
export interface TagEntry {
  /** Stable id: decisions and tag albums refer to it, so a rename keeps them. */
  id: string;
  name: string;
  /** The built-in group ("animals", "places"…), or "custom" for the user's own tags. */
  group: string;
  builtin: boolean;
  /** Still scored but not shown on photos and never an album; decisions are kept. */
  hidden: boolean;
  /** Photos with it are blurred and kept out of automatic albums. */
  sensitive: boolean;
}

/** Something the search box understood and turned into a filter: a chip, removable. */
export interface QueryChip {
  kind: 'date' | 'type' | 'exclude' | 'phrase' | 'place' | 'camera' | 'album' | 'tag' | 'person';
  label: string;
  /** Where it was in the query (UTF-16 offsets): removing it is removing that text. */
  start: number;
  end: number;
}

export interface SearchResult {
  hits: PhotoHit[];
  /** Results past the relevance cut ("show N more"); 0 with `all`. */
  more: number;
  /** The words the model ranked by, once dates, kinds, exclusions and quotes were taken out. */
  text: string;
  understood: QueryChip[];
}

/** A memory on the Photos screen; opening it opens the album `albumId`. */
export interface Memory {
  albumId: string;
  kind: 'on-this-day' | 'trip';
  /** "3 years ago", or a trip's place ("Paris, France"). */
  title: string;
  /** The date or dates: "3 Dec 2023", "3–7 Jun 2019". */
  subtitle: string;
  count: number;
  coverId: string;
}

/** How many items each local day holds, newest first, in browsing order. */
export interface Timeline {
  total: number;
  days: { day: string; count: number }[];
}

export interface MapPoint {
  id: string;
  lat: number;
  lon: number;
}

/** A box of the globe in degrees; west > east crosses the antimeridian. */
export interface GeoBox {
  south: number;
  west: number;
  north: number;
  east: number;
}
