// Clustered markers for the map: supercluster (Mapbox's point clustering, ISC) groups the photos
// that would overlap at the current zoom; each marker keeps one photo as its face.
import Supercluster from 'supercluster';
import type { GeoBox, MapPoint } from '../../../../shared/types.ts';

interface PointProps {
  id: string;
}

export interface Marker {
  key: string;
  lat: number;
  lon: number;
  count: number;
  /** The photo shown on the marker. */
  cover: string;
  /** Supercluster's id for a cluster, null for a single photo. */
  cluster: number | null;
}

export type ClusterIndex = Supercluster<PointProps, PointProps>;

export function clusterIndex(points: readonly MapPoint[]): ClusterIndex {
  const index = new Supercluster<PointProps, PointProps>({
    radius: 56,
    maxZoom: 17,
    map: (p) => ({ id: p.id }),
    // A cluster keeps the first photo it was built from as its face.
    reduce: () => undefined,
  });
  return index.load(
    points.map((p) => ({
      type: 'Feature' as const,
      geometry: { type: 'Point' as const, coordinates: [p.lon, p.lat] },
      properties: { id: p.id },
    })),
  );
}

/** The markers in view at scale `k` (2^zoom). */
export function markersIn(index: ClusterIndex, box: GeoBox, k: number): Marker[] {
  const zoom = Math.max(0, Math.floor(Math.log2(k)));
  return index.getClusters([box.west, box.south, box.east, box.north], zoom).map((f) => {
    const [lon, lat] = f.geometry.coordinates as [number, number];
    const p = f.properties;
    if ('cluster' in p && p.cluster)
      return { key: `c${p.cluster_id}`, lat, lon, count: p.point_count, cover: p.id, cluster: p.cluster_id };
    return { key: `p${p.id}`, lat, lon, count: 1, cover: p.id, cluster: null };
  });
}

/** Where every photo of a marker was taken. */
export function markerPoints(index: ClusterIndex, m: Marker): { lat: number; lon: number }[] {
  if (m.cluster === null) return [{ lat: m.lat, lon: m.lon }];
  return index.getLeaves(m.cluster, Infinity).map((f) => {
    const [lon, lat] = f.geometry.coordinates as [number, number];
    return { lat, lon };
  });
}
