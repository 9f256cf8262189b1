// Web Mercator in "world units": the whole world is WORLD units wide at scale 1, as a zoom-0 map
// tile is 256 px wide, so scale 2^z matches supercluster's zoom z. Pure.
import type { GeoBox } from '../../../../shared/types.ts';

export const WORLD = 256;
/** Mercator runs to infinity at the poles; maps stop here. */
export const MAX_LAT = 85.05112878;

export function project(lon: number, lat: number): [number, number] {
  const phi = (Math.max(-MAX_LAT, Math.min(MAX_LAT, lat)) * Math.PI) / 180;
  const x = ((lon + 180) / 360) * WORLD;
  const y = (0.5 - Math.log(Math.tan(Math.PI / 4 + phi / 2)) / (2 * Math.PI)) * WORLD;
  return [x, y];
}

export function unproject(x: number, y: number): [number, number] {
  const lon = (x / WORLD) * 360 - 180;
  const n = Math.PI - (2 * Math.PI * y) / WORLD;
  const lat = (180 / Math.PI) * Math.atan(Math.sinh(n));
  return [lon, lat];
}

/** A view of the world: screen = world * k + (tx, ty). */
export interface MapView {
  k: number;
  tx: number;
  ty: number;
}

export const MIN_SCALE = 1;
export const MAX_SCALE = 2 ** 16;

/** The view that shows every point with a margin, no closer than street level. */
export function fitView(points: readonly { lat: number; lon: number }[], width: number, height: number): MapView {
  if (points.length === 0 || width <= 0 || height <= 0)
    return centred(0, 20, Math.max(width / WORLD, 1), width, height);
  let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const p of points) {
    const [x, y] = project(p.lon, p.lat);
    x0 = Math.min(x0, x);
    y0 = Math.min(y0, y);
    x1 = Math.max(x1, x);
    y1 = Math.max(y1, y);
  }
  const margin = 0.15;
  const k = clampScale(
    Math.min(width / ((x1 - x0) * (1 + 2 * margin) || 1e-9), height / ((y1 - y0) * (1 + 2 * margin) || 1e-9)),
    2 ** 12,
  );
  const cx = (x0 + x1) / 2;
  const cy = (y0 + y1) / 2;
  return { k, tx: width / 2 - cx * k, ty: height / 2 - cy * k };
}

function centred(lon: number, lat: number, k: number, width: number, height: number): MapView {
  const [x, y] = project(lon, lat);
  return { k, tx: width / 2 - x * k, ty: height / 2 - y * k };
}

export function clampScale(k: number, max = MAX_SCALE): number {
  return Math.min(max, Math.max(MIN_SCALE, k));
}

/** Zooms by `factor` keeping the world point under (sx, sy) in place. */
export function zoomAt(v: MapView, factor: number, sx: number, sy: number): MapView {
  const k = clampScale(v.k * factor);
  const f = k / v.k;
  return { k, tx: sx - (sx - v.tx) * f, ty: sy - (sy - v.ty) * f };
}

/** The longitudes and latitudes the screen shows, for asking which clusters are in view. */
export function viewBounds(v: MapView, width: number, height: number): GeoBox {
  const [west, north] = unproject(-v.tx / v.k, -v.ty / v.k);
  const [east, south] = unproject((width - v.tx) / v.k, (height - v.ty) / v.k);
  return {
    west: Math.max(-180, west),
    east: Math.min(180, east),
    south: Math.max(-MAX_LAT, south),
    north: Math.min(MAX_LAT, north),
  };
}

/** The smallest box holding `points`, widened a little so points on its edge stay inside. */
export function boxAround(points: readonly { lat: number; lon: number }[]): GeoBox {
  let [south, west, north, east] = [90, 180, -90, -180];
  for (const p of points) {
    south = Math.min(south, p.lat);
    north = Math.max(north, p.lat);
    west = Math.min(west, p.lon);
    east = Math.max(east, p.lon);
  }
  const pad = 1e-4;
  return {
    south: Math.max(-90, south - pad),
    west: Math.max(-180, west - pad),
    north: Math.min(90, north + pad),
    east: Math.min(180, east + pad),
  };
}
