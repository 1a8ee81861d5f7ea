// `pnpm bench:results`: regenerates bench/results/RESULTS.md from the JSON files.
import { resultsDir, writeReport } from './results.ts';

writeReport();
console.log(`wrote ${resultsDir}RESULTS.md`);
