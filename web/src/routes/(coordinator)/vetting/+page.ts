import type { PageLoad } from './$types';

/** `?community=<id>`: which of the viewer's communities to show. */
export const load: PageLoad = ({ url }) => ({ communityId: url.searchParams.get('community') || null });
