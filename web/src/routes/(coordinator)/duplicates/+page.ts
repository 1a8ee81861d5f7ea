import type { PageLoad } from './$types';

/** `?community=<id>` narrows the list to one of the viewer's communities. */
export const load: PageLoad = ({ url }) => ({ communityId: url.searchParams.get('community') || null });
