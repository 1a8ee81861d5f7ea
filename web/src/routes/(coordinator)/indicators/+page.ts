import type { PageLoad } from './$types';

const PERIODS = ['WEEK', 'MONTH', 'QUARTER'] as const;
const MEASURES = ['RECEIVED', 'MET', 'CRITICAL_RECEIVED', 'CRITICAL_MET_24H'] as const;
const pick = <T extends string>(list: readonly T[], value: string | null): T | null => (list.find((x) => x === value) ?? null);

/**
 * Everything the page shows is in its address: `?community=<id>&period=MONTH&at=<period start>`, and the
 * figure opened to the needs behind it, `&measure=MET&category=FOOD` (`ALL` for every category).
 */
export const load: PageLoad = ({ url }) => {
  const q = url.searchParams;
  return {
    communityId: q.get('community') || null,
    period: pick(PERIODS, q.get('period')) ?? 'MONTH',
    at: q.get('at') || null,
    measure: pick(MEASURES, q.get('measure')),
    category: q.get('category') || null,
  };
};
