// The map: read where photos were taken, and open the photos of one place in the Photos grid.
import { api } from '../api/index.ts';
import { map } from '../state/map.svelte.ts';
import { search } from '../state/search.svelte.ts';
import { ui } from '../state/ui.svelte.ts';
import { boxAround } from '../utils/map-projection.ts';
import { plural } from '../utils/format.ts';
import { filtersChanged } from './feed-actions.ts';

export async function loadMapPoints(): Promise<void> {
  const points = await api.call('photos.places', {});
  if (points) map.points = points;
}

/** Shows the photos of a marker (one photo or a cluster) in the Photos grid, newest first. */
export function openPlace(points: readonly { lat: number; lon: number }[]): void {
  if (points.length === 0) return;
  search.area = { box: boxAround(points), label: `${plural(points.length, 'photo')} from the map` };
  search.text = '';
  ui.screen = 'photos';
  filtersChanged();
}

export function clearArea(): void {
  search.area = null;
  filtersChanged();
}
