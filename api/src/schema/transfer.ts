// The token a same-site form sends to export private columns with the session cookie (http/exportCsrf.ts).
import { builder } from './builder.ts';
import { exportToken } from '../http/exportCsrf.ts';

builder.queryField('exportToken', (t) =>
  t.string({
    nullable: true,
    authScopes: { anyCoordinator: true },
    description:
      'POST it as the form field `csrf` to /api/export/needs.{csv|ndjson|json}?private=1 to have the private columns with the session cookie (a GET with the cookie alone is refused). Null without a session (an API key sends its Authorization header instead).',
    resolve: (_root, _args, ctx) => (ctx.sessionToken && !ctx.viewer?.apiKey ? exportToken(ctx.sessionToken) : null),
  }),
);
