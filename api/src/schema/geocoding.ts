// Address search for intake: what a caller says, as places to pin.
import { z } from 'zod';
import { builder } from './builder.ts';
import { uuidId } from './ids.ts';
import { LocaleEnum } from './enums.ts';
import { CommunityRef } from './communities.ts';
import { GEOCODE_MAX_TEXT, geocode } from '../domain/geocoding.ts';
import { GEOCODE_SOURCES, PRECISIONS, type GeocodeCandidate } from '../geocoding/geocoder.ts';

const GeocodePrecisionEnum = builder.enumType('GeocodePrecision', {
  description: "How exactly a candidate's point places what was asked: a house (ADDRESS), a street, a locality's centre, a community's centre.",
  values: PRECISIONS,
});

const GeocodeSourceEnum = builder.enumType('GeocodeSource', {
  description: 'Who answered: the configured address service (SERVICE) or the offline gazetteer shipped with the app (OFFLINE).',
  values: GEOCODE_SOURCES,
});

const GeoPointRef = builder.objectRef<{ lat: number; lng: number }>('GeoPoint').implement({
  authScopes: { anyIntake: true },
  fields: (t) => ({
    lat: t.exposeFloat('lat', { authScopes: { anyIntake: true } }),
    lng: t.exposeFloat('lng', { authScopes: { anyIntake: true } }),
  }),
});

const GeocodeCandidateRef = builder.objectRef<GeocodeCandidate>('GeocodeCandidate').implement({
  authScopes: { anyIntake: true },
  fields: (t) => ({
    label: t.exposeString('label', { authScopes: { anyIntake: true } }),
    point: t.field({ type: GeoPointRef, authScopes: { anyIntake: true }, resolve: (c) => ({ lat: c.lat, lng: c.lng }) }),
    precision: t.expose('precision', { type: GeocodePrecisionEnum, authScopes: { anyIntake: true } }),
    source: t.expose('source', { type: GeocodeSourceEnum, authScopes: { anyIntake: true } }),
  }),
});

builder.queryField('geocode', (t) =>
  t.field({
    type: [GeocodeCandidateRef],
    authScopes: { anyIntake: true },
    description:
      'Places for an address as a caller gives it, best first, for those who take in needs: the address service (GEOCODER_URL) when configured, then the offline gazetteer (Israeli localities and the communities, to their centres). Rate limited per person.',
    args: {
      text: t.arg.string({ required: true, validate: z.string().max(GEOCODE_MAX_TEXT, `At most ${GEOCODE_MAX_TEXT} characters.`) }),
      language: t.arg({ type: LocaleEnum, description: 'Labels in this language where the data has it (default Hebrew).' }),
      communityId: t.arg.globalID({ for: CommunityRef, validate: uuidId, description: "Prefer places near this community's centre." }),
      first: t.arg.int({ validate: z.number().int().min(1).max(10) }),
    },
    resolve: (_root, args, ctx) =>
      geocode(ctx.services, ctx.viewer, { text: args.text, language: args.language ?? 'he', communityId: args.communityId?.id ?? null, limit: args.first }),
  }),
);
