// The map's points: every item with a GPS position, under the same filters as browsing.
import { filterSql } from '../search/search.ts';
import type { SearchFilters } from '../search/search.ts';
import type { PhotoStore } from '../store/photo-store.ts';

import type { MapPoint } from '../../../shared/types.ts';

export type { MapPoint } from '../../../shared/types.ts';

export async function mapPoints(store: PhotoStore, filters?: SearchFilters): Promise<MapPoint[]> {
  return store.positions(filterSql(filters));
}
