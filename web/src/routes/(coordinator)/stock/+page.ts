import type { PageLoad } from './$types';

/** `?community=<id>`: which of the viewer's communities the page shows (default: the first). */
export const load: PageLoad = ({ url }) => ({ communityId: url.searchParams.get('community') || null });
