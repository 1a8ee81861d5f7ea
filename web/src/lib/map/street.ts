// The street map: the Protomaps basemap style over vector tiles in its schema, from a PMTiles
// archive (the API's /tiles/basemap.pmtiles, or one elsewhere) or a {z}/{x}/{y} tile service.
// Labels are in the reader's language (name:he, name:ar, … then the local name). The style has no
// `glyphs`: MapLibre draws text with the device's fonts, shapes Arabic and orders right-to-left
// text itself (no RTL plugin to load), so nothing has to be downloaded but the tiles. Nor a sprite:
// the few icons the style asks for (town dots, road shields, one-way arrows) are left out.
import type { LayerSpecification, StyleSpecification, VectorSourceSpecification } from 'maplibre-gl';
import { layers, namedFlavor } from '@protomaps/basemaps';
import type { BasemapInfo } from '@mutual-aid/api/shared/basemap.ts';

export const STREET_SOURCE = 'protomaps';

/** The archive's address as the pmtiles protocol takes it: absolute, so every map reads the same one. */
export const pmtilesUrl = (url: string, origin: string) => `pmtiles://${new URL(url, origin).href}`;

function source(info: Exclude<BasemapInfo, { kind: 'bundled' }>, origin: string): VectorSourceSpecification {
  return info.kind === 'pmtiles'
    ? { type: 'vector', url: pmtilesUrl(info.url, origin), attribution: info.attribution }
    : { type: 'vector', tiles: info.tiles, maxzoom: info.maxzoom, attribution: info.attribution };
}

/** The style's layers without the sprite's icons: symbol layers keep their text, icon-only ones go. */
function withoutIcons(all: LayerSpecification[]): LayerSpecification[] {
  return all.flatMap((layer) => {
    if (layer.type !== 'symbol' || !layer.layout || !('icon-image' in layer.layout)) return [layer];
    if (!('text-field' in layer.layout)) return [];
    const { 'icon-image': _image, 'icon-size': _size, ...layout } = layer.layout;
    return [{ ...layer, layout }];
  });
}

export function streetStyle(info: Exclude<BasemapInfo, { kind: 'bundled' }>, lang: string, origin: string): StyleSpecification {
  return {
    version: 8,
    sources: { [STREET_SOURCE]: source(info, origin) },
    layers: withoutIcons(layers(STREET_SOURCE, namedFlavor('light'), { lang })),
  };
}
