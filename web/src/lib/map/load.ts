// MapLibre, its worker and the bundled basemap, loaded on demand (they are the heaviest part of the app).
import { PUBLIC_MAP_STYLE_URL } from '$app/env/public';
import { offlineStyle } from './style.ts';

export async function loadMapLibre() {
  const [maplibre, workerUrl, basemap] = await Promise.all([
    import('maplibre-gl'),
    import('maplibre-gl/dist/maplibre-gl-worker.mjs?url').then((m) => m.default as string),
    import('virtual:basemap').then((m) => m.default),
  ]);
  maplibre.setWorkerUrl(workerUrl);
  return { maplibre, style: PUBLIC_MAP_STYLE_URL ?? offlineStyle(basemap) };
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
