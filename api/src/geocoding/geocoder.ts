// The geocoder interface: what every implementation (geocoding/remote.ts, geocoding/gazetteer.ts)
// answers, what the domain (domain/geocoding.ts) asks, and what the composition root wires.
// Types and constants only, so that none of them depends on another.

/** How exactly a candidate's point places what was asked: a house, a street, a locality's centre, a community's centre. */
export const PRECISIONS = ['ADDRESS', 'STREET', 'LOCALITY', 'COMMUNITY'] as const;
export type Precision = (typeof PRECISIONS)[number];

/** Who answered: the configured address service, or the offline gazetteer. */
export const GEOCODE_SOURCES = ['SERVICE', 'OFFLINE'] as const;
export type GeocodeSource = (typeof GEOCODE_SOURCES)[number];

export type GeocodeCandidate = Readonly<{ label: string; lat: number; lng: number; precision: Precision; source: GeocodeSource }>;

export type GeocodeRequest = Readonly<{
  text: string;
  /** The viewer's language (he, ar, en, ru): labels in it where the data has them. */
  language: string;
  /** The community's centre, to prefer places near it (null: anywhere). */
  near: Readonly<{ lat: number; lng: number }> | null;
  limit: number;
}>;

/** Anything that turns text into candidates. Throws when it cannot answer (down, slow, refused). */
export type Geocoder = Readonly<{ search(request: GeocodeRequest): Promise<GeocodeCandidate[]> }>;

/** The geocoders of one app: the address service when configured, and the offline gazetteer. */
export type Geocoding = Readonly<{ service: Geocoder | null; offline: Geocoder }>;
