import type { PageLoad } from './$types';

export const load: PageLoad = ({ params }) => ({ pointId: params.id });
