import { defineEnvVars } from '@sveltejs/kit/env';

export const variables = defineEnvVars({
  PUBLIC_MAP_STYLE_URL: {
    public: true,
    description: 'A MapLibre style URL to use instead of the bundled offline basemap (optional).',
    schema: (value) => (value ? value : undefined),
  },
});
