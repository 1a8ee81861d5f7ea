// Recurring needs: a series of shifts, each a need claimed on its own.
import type { Client } from '@urql/core';
import { graphql, type VariablesOf } from './graphql.ts';
import { CreateNeedMutation, NeedSummary } from './needs.ts';
import { readFragment } from './graphql.ts';

export const CreateRecurringNeedMutation = graphql(`
  mutation CreateRecurringNeed($input: CreateNeedInput!, $recurrence: RecurrenceInput!) {
    createRecurringNeed(input: $input, recurrence: $recurrence) { id title occurrenceAt onBoard slots openSlots }
  }
`);

export const SeriesQuery = graphql(`
  query Series($id: ID!) {
    need(id: $id) {
      id
      occurrenceAt
      seriesOccurrences { id title status slots openSlots occurrenceAt neededBy onBoard viewerCan { claim } }
    }
  }
`);

export type NeedInput = VariablesOf<typeof CreateNeedMutation>['input'];
export type RecurrenceInput = VariablesOf<typeof CreateRecurringNeedMutation>['recurrence'];

/** Creates one need, or a series of shifts when `recurrence` is given; returns the first. */
export async function createNeedOrSeries(client: Client, input: NeedInput, recurrence: RecurrenceInput | null) {
  if (!recurrence) {
    const r = await client.mutation(CreateNeedMutation, { input }).toPromise();
    return { error: r.error, need: r.data ? readFragment(NeedSummary, r.data.createNeed.need) : null, count: 1 };
  }
  const r = await client.mutation(CreateRecurringNeedMutation, { input, recurrence }).toPromise();
  const list = r.data?.createRecurringNeed ?? [];
  return { error: r.error, need: list[0] ?? null, count: list.length };
}
