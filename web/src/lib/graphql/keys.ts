// API keys for partner systems (the /keys screen), and the token a private export's form sends.
import { graphql, type ResultOf } from './graphql.ts';

export const ApiKeyFields = graphql(`
  fragment ApiKeyFields on ApiKey {
    id
    name
    hint
    readOnly
    allowedMutations
    createdAt
    lastUsedAt
    expiresAt
    revokedAt
    createdBy { id name }
    communities { id name }
  }
`);

export type ApiKeyData = ResultOf<typeof ApiKeyFields>;

export const ApiKeysQuery = graphql(`query ApiKeys { apiKeys { ...ApiKeyFields } }`, [ApiKeyFields]);

export const CreateApiKeyMutation = graphql(
  `
    mutation CreateApiKey($input: CreateApiKeyInput!) {
      createApiKey(input: $input) { token apiKey { ...ApiKeyFields } }
    }
  `,
  [ApiKeyFields],
);

export const RevokeApiKeyMutation = graphql(`mutation RevokeApiKey($id: ID!) { revokeApiKey(id: $id) { ...ApiKeyFields } }`, [ApiKeyFields]);

/** POSTed as the form field `csrf` for an export with private columns (the cookie alone is refused). */
export const ExportTokenQuery = graphql(`query ExportToken { exportToken }`);
