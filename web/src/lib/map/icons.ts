// Category icons for the map, drawn from the same Lucide icons as the list, added as map images.
import type { Map as MapLibreMap } from 'maplibre-gl';
import { CATEGORIES, CATEGORY_ICON, iconSvg } from '../domain.ts';

export async function addCategoryImages(map: MapLibreMap, pixelRatio = 2) {
  const size = 14 * pixelRatio;
  await Promise.all(
    CATEGORIES.map(async (category) => {
      const name = `category-${category}`;
      if (map.hasImage(name)) return;
      const img = new Image(size, size);
      img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(iconSvg(CATEGORY_ICON[category], { size, color: '#ffffff', strokeWidth: 2.25 }))}`;
      await img.decode();
      if (!map.hasImage(name)) map.addImage(name, img, { pixelRatio });
    }),
  );
}
