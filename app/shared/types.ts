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
}

export interface PhotoDetails extends PhotoHit {
  name: string;
  folder: string;
  root: string;
  size: number;
  cameraMake: string | null;
  cameraModel: string | null;
  gpsLat: number | null;
  gpsLon: number | null;
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
}

export interface AppStatus {
  library: string;
  photos: number;
  failed: number;
  roots: RootStatus[];
  model: ModelState;
  indexing: IndexState;
}
