// The map style: the bundled Natural Earth basemap (no tile server, no glyph or sprite downloads;
// MapLibre draws text with local fonts when the style has no `glyphs`), and the needs layers.
import type { ExpressionSpecification, LayerSpecification, SourceSpecification, StyleSpecification } from 'maplibre-gl';
import type { FeatureCollection } from 'geojson';
import { URGENCY_COLOR } from '../domain.ts';
import { OFFER_COLOR } from '../offers.ts';

export const TEXT_FONT = ['Noto Sans Bold', 'DejaVu Sans Bold', 'Arial Bold', 'sans-serif'];

export type Basemap = {
  region: [number, number, number, number];
  worldLand: FeatureCollection;
  regionCountries: FeatureCollection;
  borders: FeatureCollection;
};

export const COLORS = { sea: '#d4e6f1', land: '#f3f0e8', israel: '#fbfaf5', border: '#8c7f6e' };

export function offlineStyle(basemap: Basemap): StyleSpecification {
  const [w, s, e, n] = basemap.region;
  return {
    version: 8,
    sources: {
      'world-land': { type: 'geojson', data: basemap.worldLand },
      'region-box': {
        type: 'geojson',
        data: { type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] } },
      },
      'region-countries': { type: 'geojson', data: basemap.regionCountries },
      borders: { type: 'geojson', data: basemap.borders },
    },
    layers: [
      { id: 'sea', type: 'background', paint: { 'background-color': COLORS.sea } },
      { id: 'world-land', type: 'fill', source: 'world-land', paint: { 'fill-color': COLORS.land } },
      // The coarse world land is covered by sea inside the box, where the detailed coastline is drawn.
      { id: 'region-sea', type: 'fill', source: 'region-box', paint: { 'fill-color': COLORS.sea } },
      {
        id: 'region-land',
        type: 'fill',
        source: 'region-countries',
        paint: { 'fill-color': ['match', ['get', 'iso'], '376', COLORS.israel, '275', COLORS.israel, COLORS.land] },
      },
      { id: 'borders', type: 'line', source: 'borders', paint: { 'line-color': COLORS.border, 'line-width': 1, 'line-dasharray': [3, 2] } },
    ],
  };
}

const urgencyByRank: ExpressionSpecification = [
  'match',
  ['get', 'u'],
  3,
  URGENCY_COLOR.CRITICAL,
  2,
  URGENCY_COLOR.HIGH,
  1,
  URGENCY_COLOR.NORMAL,
  URGENCY_COLOR.LOW,
];
const clusterColor: ExpressionSpecification = [
  'match',
  ['get', 'maxU'],
  3,
  URGENCY_COLOR.CRITICAL,
  2,
  URGENCY_COLOR.HIGH,
  1,
  URGENCY_COLOR.NORMAL,
  URGENCY_COLOR.LOW,
];

export function needsSource(data: FeatureCollection): SourceSpecification {
  return {
    type: 'geojson',
    data,
    cluster: true,
    clusterRadius: 46,
    clusterMaxZoom: 14,
    clusterProperties: {
      maxU: ['max', ['get', 'u']],
      hl: ['max', ['get', 'hl']],
    },
  };
}

export function needsLayers(source: string): LayerSpecification[] {
  return [
    {
      id: 'need-highlight',
      type: 'circle',
      source,
      filter: ['==', ['get', 'hl'], 1],
      paint: {
        'circle-radius': ['case', ['has', 'point_count'], 30, 20],
        'circle-color': '#fdb022',
        'circle-opacity': 0.35,
        'circle-stroke-color': '#f79009',
        'circle-stroke-width': 3,
      },
    },
    {
      id: 'need-clusters',
      type: 'circle',
      source,
      filter: ['has', 'point_count'],
      paint: {
        'circle-color': clusterColor,
        'circle-radius': ['step', ['get', 'point_count'], 15, 10, 19, 50, 24, 200, 30],
        'circle-stroke-color': '#ffffff',
        'circle-stroke-width': 2,
        'circle-opacity': 0.92,
      },
    },
    {
      id: 'need-cluster-count',
      type: 'symbol',
      source,
      filter: ['has', 'point_count'],
      layout: {
        'text-field': ['get', 'point_count_abbreviated'],
        'text-font': TEXT_FONT,
        'text-size': 13,
        'text-allow-overlap': true,
        'text-ignore-placement': true,
      },
      paint: { 'text-color': '#ffffff' },
    },
    {
      id: 'need-points',
      type: 'circle',
      source,
      filter: ['!', ['has', 'point_count']],
      paint: {
        'circle-color': urgencyByRank,
        'circle-radius': 12,
        'circle-opacity': ['case', ['==', ['get', 'live'], 1], 1, 0.5],
        'circle-stroke-color': ['case', ['==', ['get', 'live'], 1], '#ffffff', '#1d2939'],
        'circle-stroke-width': 2,
      },
    },
    {
      id: 'need-icons',
      type: 'symbol',
      source,
      filter: ['!', ['has', 'point_count']],
      layout: {
        'icon-image': ['concat', 'category-', ['get', 'category']],
        'icon-allow-overlap': true,
        'icon-ignore-placement': true,
      },
    },
  ];
}

/** The needs' layers, for showing or hiding them together. */
export const NEED_LAYER_IDS = ['need-highlight', 'need-clusters', 'need-cluster-count', 'need-points', 'need-icons'];
export const OFFER_LAYER_IDS = ['offer-points', 'offer-icons'];

/** Offers: white discs ringed in the offers' colour with the kind's icon, unclustered (there are few), drawn under the needs. */
export function offersLayers(source: string): LayerSpecification[] {
  return [
    {
      id: 'offer-points',
      type: 'circle',
      source,
      paint: {
        'circle-color': '#ffffff',
        'circle-radius': 11,
        'circle-stroke-color': OFFER_COLOR,
        'circle-stroke-width': 3,
        'circle-opacity': ['case', ['>', ['get', 'remaining'], 0], 1, 0.5],
      },
    },
    {
      id: 'offer-icons',
      type: 'symbol',
      source,
      layout: {
        'icon-image': ['concat', 'offer-', ['get', 'kind']],
        'icon-allow-overlap': true,
        'icon-ignore-placement': true,
      },
    },
  ];
}

export function communityLabels(): LayerSpecification {
  return {
    id: 'community-labels',
    type: 'symbol',
    source: 'communities',
    minzoom: 9,
    layout: {
      'text-field': ['get', 'name'],
      'text-font': TEXT_FONT,
      'text-size': 12,
      'text-offset': [0, 2.1],
      'text-anchor': 'top',
      'text-optional': true,
    },
    paint: { 'text-color': '#344054', 'text-halo-color': '#ffffff', 'text-halo-width': 1.5 },
  };
}
