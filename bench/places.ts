// `node bench/places.ts`: naming places offline and understanding queries, on this machine's CPU.
// Reverse geocoding: 100,000 positions spread over Europe, after loading the GeoNames towns once.
// Query parsing: typical queries, with 2,000 known place names, as the search box sends them.
import { ReverseGeocoder } from '../app/main/core/places/reverse-geocode.ts';
import { parseQuery } from '../app/main/core/search/query/parse-query.ts';

let t0 = performance.now();
const geo = await ReverseGeocoder.load();
const loadMs = performance.now() - t0;
t0 = performance.now();
let named = 0;
for (let i = 0; i < 100_000; i++) if (geo.placeOf(36 + ((i * 7) % 2000) / 100, -5 + ((i * 13) % 3000) / 100)) named++;
const geocodeS = (performance.now() - t0) / 1000;
console.log(
  `GeoNames towns loaded in ${loadMs.toFixed(0)} ms; 100,000 positions named in ${geocodeS.toFixed(2)} s (${named} near a town)`,
);

const places = Array.from({ length: 2000 }, (_, i) => `Town${i}`).concat(['Paris', 'France', 'Berlin', 'Japan']);
const queries = [
  'christmas in Berlin',
  'beach 2019',
  'videos of the dog last summer',
  'mountains -snow',
  'Japan in the 90s',
];
for (const q of queries) parseQuery(q, { places });
const reps = 2000;
t0 = performance.now();
for (let r = 0; r < reps; r++) for (const q of queries) parseQuery(q, { places });
const perQuery = (performance.now() - t0) / (reps * queries.length);
console.log(`query parsing: ${perQuery.toFixed(3)} ms per query (with ${places.length} known places)`);
process.exit(0);
