import { describe, expect, it } from 'vitest';
import { ReverseGeocoder } from '#core/places/reverse-geocode.ts';

describe('reverse geocoding (GeoNames towns, offline)', () => {
  it('names the town and country a photo was taken in', async () => {
    const geo = await ReverseGeocoder.load();
    expect(geo.placeOf(48.8584, 2.2945)).toEqual({
      city: 'Paris',
      region: 'Île-de-France',
      countryCode: 'FR',
      country: 'France',
    });
    expect(geo.placeOf(35.6586, 139.7454)?.country).toBe('Japan');
    expect(geo.placeOf(-33.8568, 151.2153)).toMatchObject({ city: 'Sydney', country: 'Australia' });
    expect(geo.placeOf(52.52, 13.405)).toMatchObject({ city: 'Berlin', country: 'Germany' });
  });

  it('names the region a town is in, from GeoNames’ first-level divisions', async () => {
    const geo = await ReverseGeocoder.load();
    expect(geo.placeOf(48.1374, 11.5755)).toMatchObject({ city: 'Munich', region: 'Bavaria' });
    expect(geo.placeOf(34.0522, -118.2437)).toMatchObject({ city: 'Los Angeles', region: 'California' });
    expect(geo.placeOf(53.4808, -2.2426)).toMatchObject({ city: 'Manchester', region: 'England' });
    expect(geo.placeOf(-33.8568, 151.2153)).toMatchObject({ region: 'New South Wales' });
  });

  it('names nothing far from any town, or for coordinates that are none', async () => {
    const geo = await ReverseGeocoder.load();
    expect(geo.placeOf(0, -140)).toBeNull(); // the middle of the Pacific
    expect(geo.placeOf(Number.NaN, 2)).toBeNull();
    expect(geo.placeOf(95, 2)).toBeNull();
  });
});
