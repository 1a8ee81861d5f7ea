import { describe, expect, it } from 'vitest';
import { hasIdDerivedPoint, idDerivedPublicPoint } from './publicPointRedraw.ts';
import { publicLocation } from './geo.ts';

// The exact point of the old unit test.
const SDEROT = { lat: 31.525, lng: 34.597 };

describe('the id-derived public point of old', () => {
  // The values the code before 4d65d3a gave (its own unit test): the redraw must recognise exactly these.
  it.each([
    ['need-1', { lat: 31.526264, lng: 34.600823 }],
    ['need-2', { lat: 31.523562, lng: 34.600072 }],
    ['00000000-0000-0000-0000-000000000001', { lat: 31.521669, lng: 34.594169 }],
  ])('is recomputed for %s as it was', (id, expected) => {
    expect(idDerivedPublicPoint(id, SDEROT)).toEqual(expected);
  });

  it('recognises a stored old-style point, and not a drawn one or another need\'s', () => {
    const id = '0193a2b4-0000-7000-8000-000000000001';
    const old = idDerivedPublicPoint(id, SDEROT);
    expect(hasIdDerivedPoint({ id, ...SDEROT, publicLat: old.lat, publicLng: old.lng })).toBe(true);
    const drawn = publicLocation(SDEROT);
    expect(hasIdDerivedPoint({ id, ...SDEROT, publicLat: drawn.lat, publicLng: drawn.lng })).toBe(false);
    expect(hasIdDerivedPoint({ id: '0193a2b4-0000-7000-8000-000000000002', ...SDEROT, publicLat: old.lat, publicLng: old.lng })).toBe(false);
  });
});
