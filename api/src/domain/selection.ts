// What a GraphQL selection asks of a row, as Pothos hands it to a prisma field's resolver. A domain
// function returning that row takes it as its last parameter and spreads it into its final
// Prisma call, so that one selection stays one SQL query.
export type Selection = { select?: object; include?: object };
