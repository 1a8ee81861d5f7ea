// MapLibre, its worker and the basemap, loaded on demand (they are the heaviest part of the app).
// The basemap is the street map the API names (/tiles/basemap.json: a PMTiles archive or a tile
// service), or the bundled Natural Earth map when there is none or the API cannot be asked.
import { PUBLIC_MAP_STYLE_URL } from '$app/env/public';
import type { StyleSpecification } from 'maplibre-gl';
import { offlineStyle } from './style.ts';
import { streetStyle } from './street.ts';
import { BASEMAP_INFO_PATH, type BasemapInfo } from '@mutual-aid/api/shared/basemap.ts';

async function basemapInfo(): Promise<BasemapInfo> {
  try {
    const res = await fetch(BASEMAP_INFO_PATH, { credentials: 'same-origin' });
    return res.ok ? ((await res.json()) as BasemapInfo) : { kind: 'bundled' };
  } catch {
    return { kind: 'bundled' };
  }
}

let pmtilesProtocol: Promise<void> | undefined;

/** The pmtiles:// protocol, added to MapLibre once for every map of the page. */
function addPmtilesProtocol(maplibre: typeof import('maplibre-gl')) {
  pmtilesProtocol ??= import('pmtiles').then(({ Protocol }) => {
    maplibre.addProtocol('pmtiles', new Protocol().tile);
  });
  return pmtilesProtocol;
}

/** MapLibre and the style to open, with street labels in `lang`. `street` says whether it is the street map. */
export async function loadMapLibre(lang: string): Promise<{ maplibre: typeof import('maplibre-gl'); style: string | StyleSpecification; street: boolean }> {
  const [maplibre, workerUrl, info] = await Promise.all([
    import('maplibre-gl'),
    import('maplibre-gl/dist/maplibre-gl-worker.mjs?url').then((m) => m.default as string),
    PUBLIC_MAP_STYLE_URL ? Promise.resolve<BasemapInfo>({ kind: 'bundled' }) : basemapInfo(),
  ]);
  maplibre.setWorkerUrl(workerUrl);
  if (PUBLIC_MAP_STYLE_URL) return { maplibre, style: PUBLIC_MAP_STYLE_URL, street: true };
  if (info.kind === 'bundled') {
    const basemap = (await import('virtual:basemap')).default;
    return { maplibre, style: offlineStyle(basemap), street: false };
  }
  if (info.kind === 'pmtiles') await addPmtilesProtocol(maplibre);
  return { maplibre, style: streetStyle(info, lang, location.origin), street: true };
}

/** MapLibre's own words (control titles, the map's label) in the reader's language. */
export function mapLocale(t: (key: 'map.zoomIn' | 'map.zoomOut' | 'map.attribution' | 'map.title' | 'map.marker' | 'map.close') => string) {
  return {
    'NavigationControl.ZoomIn': t('map.zoomIn'),
    'NavigationControl.ZoomOut': t('map.zoomOut'),
    'AttributionControl.ToggleAttribution': t('map.attribution'),
    'Map.Title': t('map.title'),
    'Marker.Title': t('map.marker'),
    'Popup.Close': t('map.close'),
  };
}
