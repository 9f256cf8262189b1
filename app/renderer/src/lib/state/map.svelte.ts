// The map screen: where the library's located photos were taken.
import type { MapPoint } from '../../../../shared/types.ts';

class MapState {
  /** Null until read. */
  points = $state.raw<MapPoint[] | null>(null);
}

export const map = new MapState();
