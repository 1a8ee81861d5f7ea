// Writes the printed schema to api/schema.graphql (checked in; a test fails on drift).
import { writeFileSync } from 'node:fs';
import { printSchema, lexicographicSortSchema } from 'graphql';
import { schema } from './index.ts';

export const printedSchema = () => printSchema(lexicographicSortSchema(schema)) + '\n';

if (import.meta.url === `file://${process.argv[1]}`) {
  writeFileSync(new URL('../../schema.graphql', import.meta.url), printedSchema());
  console.log('wrote api/schema.graphql');
}
