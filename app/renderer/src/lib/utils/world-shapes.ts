// The world map's shapes, drawn once into SVG path data in world units: Natural Earth's 1:50m
// countries (public domain) from the world-atlas package, bundled with the app, so the map needs
// no tile server and makes no network request.
import { feature, mesh } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import { project } from './map-projection.ts';

type Position = number[];

/**
 * A ring or line as path data. Longitudes are unwrapped so a shape that crosses the antimeridian
 * (Chukotka, Fiji) runs on past the map's edge instead of jumping back across the whole world,
 * which would fill a band around the globe.
 */
function pathOf(points: readonly Position[], close: boolean): string {
  let d = '';
  let prev = NaN;
  for (const [i, p] of points.entries()) {
    let lon = p[0]!;
    if (i > 0) lon += 360 * Math.round((prev - lon) / 360);
    prev = lon;
    const [x, y] = project(lon, p[1]!);
    d += `${i === 0 ? 'M' : 'L'}${x.toFixed(4)} ${y.toFixed(4)}`;
  }
  return close ? `${d}Z` : d;
}

export interface WorldShapes {
  /** Every country's area, filled as land. */
  land: string;
  /** The borders between countries (each drawn once). */
  borders: string;
}

let shapes: Promise<WorldShapes> | null = null;

/** The shapes, drawn on first use; the 750 kB of country outlines load in their own chunk. */
export function worldShapes(): Promise<WorldShapes> {
  shapes ??= import('world-atlas/countries-50m.json').then((m) =>
    draw(m.default as unknown as Topology<{ countries: GeometryCollection }>),
  );
  return shapes;
}

function draw(topo: Topology<{ countries: GeometryCollection }>): WorldShapes {
  const land = feature(topo, topo.objects.countries);
  let fill = '';
  for (const f of land.features) {
    const g = f.geometry;
    if (g.type === 'Polygon') for (const ring of g.coordinates) fill += pathOf(ring, true);
    else if (g.type === 'MultiPolygon')
      for (const poly of g.coordinates) for (const ring of poly) fill += pathOf(ring, true);
  }
  const lines = mesh(topo, topo.objects.countries, (a, b) => a !== b);
  return { land: fill, borders: lines.coordinates.map((l) => pathOf(l, false)).join('') };
}
