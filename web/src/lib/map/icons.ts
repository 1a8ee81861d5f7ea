// Category icons for the map, drawn from the same Lucide icons as the list, added as map images.
import type { Map as MapLibreMap } from 'maplibre-gl';
import { CATEGORIES, CATEGORY_ICON, iconSvg } from '../domain.ts';
import { OFFER_COLOR, OFFER_ICON, OFFER_KINDS } from '../offers.ts';

export async function addCategoryImages(map: MapLibreMap, pixelRatio = 2) {
  await Promise.all(CATEGORIES.map((category) => addIcon(map, `category-${category}`, iconSvgOf(CATEGORY_ICON[category], '#ffffff', pixelRatio), pixelRatio)));
}

/** Offers' kinds, drawn in the offers' colour on their white rings. */
export async function addOfferImages(map: MapLibreMap, pixelRatio = 2) {
  await Promise.all(OFFER_KINDS.map((kind) => addIcon(map, `offer-${kind}`, iconSvgOf(OFFER_ICON[kind], OFFER_COLOR, pixelRatio), pixelRatio)));
}

const iconSvgOf = (icon: Parameters<typeof iconSvg>[0], color: string, pixelRatio: number) => iconSvg(icon, { size: 14 * pixelRatio, color, strokeWidth: 2.25 });

async function addIcon(map: MapLibreMap, name: string, svg: string, pixelRatio: number) {
  if (map.hasImage(name)) return;
  const size = 14 * pixelRatio;
  const img = new Image(size, size);
  img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
  await img.decode();
  if (!map.hasImage(name)) map.addImage(name, img, { pixelRatio });
}
