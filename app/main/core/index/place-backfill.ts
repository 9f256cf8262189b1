import { ReverseGeocoder } from '../places/reverse-geocode.ts';
import type { PhotoStore } from '../store/photo-store.ts';

/**
 * Names the places of photos that have a position but no place, or no region: those indexed
 * before places (or regions) were named. One update per place, not per photo. A position far
 * from any town, or in a town whose region GeoNames does not name, stays as it is (and is looked
 * at again next time, which costs a lookup, not a write).
 */
export async function fillPlaces(store: PhotoStore): Promise<number> {
  const rows = await store.rows('gps_lat IS NOT NULL AND gps_lon IS NOT NULL AND (country IS NULL OR region IS NULL)');
  if (rows.length === 0) return 0;
  const geo = await ReverseGeocoder.load();
  const groups = new Map<string, { place: string; region: string | null; country: string; paths: string[] }>();
  for (const r of rows) {
    const p = geo.placeOf(r.gps_lat!, r.gps_lon!);
    if (!p || (p.region === null && r.country !== null)) continue;
    const key = `${p.city}\u0000${p.region}\u0000${p.country}`;
    const group = groups.get(key) ?? { place: p.city, region: p.region, country: p.country, paths: [] };
    group.paths.push(r.path);
    groups.set(key, group);
  }
  for (const g of groups.values()) await store.setPlace(g.paths, g);
  return [...groups.values()].reduce((n, g) => n + g.paths.length, 0);
}
