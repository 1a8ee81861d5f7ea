declare module 'virtual:basemap' {
  import type { FeatureCollection } from 'geojson';
  const basemap: {
    region: [number, number, number, number];
    worldLand: FeatureCollection;
    regionCountries: FeatureCollection;
    borders: FeatureCollection;
  };
  export default basemap;
}
