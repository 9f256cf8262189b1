// The main window's size, position and maximised state across launches, in a small JSON file in
// the app's userData folder. No electron import: main passes in the displays' work areas.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface WindowState {
  bounds: Rect;
  maximized: boolean;
}

/** What to open with: a position only when the saved one is still on a screen. */
export interface RestoredState {
  width: number;
  height: number;
  x?: number;
  y?: number;
  maximized: boolean;
}

export const DEFAULT_SIZE = { width: 1280, height: 820 } as const;
export const MIN_SIZE = { width: 720, height: 480 } as const;
/** How much of the title-bar strip must show on some display to count as reachable. */
const GRAB = { width: 120, height: 24 } as const;

function isRect(v: unknown): v is Rect {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Record<string, unknown>;
  return ['x', 'y', 'width', 'height'].every((k) => typeof r[k] === 'number' && Number.isFinite(r[k]));
}

/** A stored state, or null when the file holds anything else (hand-edited, truncated). */
export function parseWindowState(value: unknown): WindowState | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  if (!isRect(v.bounds) || typeof v.maximized !== 'boolean') return null;
  return { bounds: v.bounds, maximized: v.maximized };
}

function overlap(a: Rect, b: Rect): { width: number; height: number } {
  return {
    width: Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x),
    height: Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y),
  };
}

function clampSize(size: { width: number; height: number }, area: Rect): { width: number; height: number } {
  return {
    width: Math.round(Math.max(MIN_SIZE.width, Math.min(size.width, area.width))),
    height: Math.round(Math.max(MIN_SIZE.height, Math.min(size.height, area.height))),
  };
}

/**
 * The saved bounds, kept only if the window's title bar would land on a display that is still
 * attached (a monitor unplugged since must not leave the window off screen), and shrunk to fit
 * that display. Otherwise the default size on the primary display, centred by the window.
 * `workAreas[0]` is the primary display.
 */
export function restoreWindowState(saved: WindowState | null, workAreas: readonly Rect[]): RestoredState {
  const primary = workAreas[0] ?? { x: 0, y: 0, ...DEFAULT_SIZE };
  if (saved === null) return { ...clampSize(DEFAULT_SIZE, primary), maximized: false };
  const titleBar: Rect = { ...saved.bounds, height: Math.min(saved.bounds.height, 32) };
  const home = workAreas.find((area) => {
    const o = overlap(titleBar, area);
    return o.width >= Math.min(GRAB.width, saved.bounds.width) && o.height >= Math.min(GRAB.height, titleBar.height);
  });
  if (!home) return { ...clampSize(saved.bounds, primary), maximized: saved.maximized };
  const size = clampSize(saved.bounds, home);
  // Pull the window fully inside its display where it would otherwise hang over an edge.
  const x = Math.round(Math.min(Math.max(saved.bounds.x, home.x), home.x + home.width - size.width));
  const y = Math.round(Math.min(Math.max(saved.bounds.y, home.y), home.y + home.height - size.height));
  return { ...size, x, y, maximized: saved.maximized };
}

export async function loadWindowState(file: string): Promise<WindowState | null> {
  try {
    return parseWindowState(JSON.parse(await readFile(file, 'utf8')));
  } catch {
    return null;
  }
}

/**
 * Synchronous: it runs in the window's close handler, and the app may quit right after. Written
 * to a temporary file and renamed, so a crash mid-write never leaves half a file.
 */
export function saveWindowState(file: string, state: WindowState): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(state));
  renameSync(tmp, file);
}
