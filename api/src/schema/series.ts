// Recurring needs: babysitting for reservists' families, farm days, hotline shifts.
import { z } from 'zod';
import { builder } from './builder.ts';
import { createRecurringNeed } from '../domain/recurrence.ts';
import { CreateNeedInput, NeedRef, needInputOf } from './needs.ts';

const RecurrenceFrequencyEnum = builder.enumType('RecurrenceFrequency', { values: ['DAILY', 'WEEKLY', 'DATES'] as const });

const RecurrenceInput = builder.inputType('RecurrenceInput', {
  fields: (t) => ({
    frequency: t.field({ type: RecurrenceFrequencyEnum, required: true }),
    interval: t.int({ description: 'Every n days or weeks.', validate: z.number().int().min(1).max(52) }),
    weekdays: t.intList({ description: '0 = Sunday … 6 = Saturday (WEEKLY).', validate: z.array(z.number().int().min(0).max(6)).max(7) }),
    dates: t.field({ type: ['DateTime'], description: 'Each start (DATES).', validate: z.array(z.date()).max(60) }),
    startsAt: t.field({ type: 'DateTime', required: true, description: 'The first start; its time of day (Israel time) is every shift’s.' }),
    until: t.field({ type: 'DateTime' }),
    count: t.int({ validate: z.number().int().min(1).max(60) }),
    durationMinutes: t.int({ required: true, validate: z.number().int().min(15).max(24 * 60) }),
    slotsPerOccurrence: t.int({ required: true, validate: z.number().int().min(1).max(500) }),
  }),
  validate: z
    .looseObject({ frequency: z.string(), dates: z.array(z.date()).nullish(), startsAt: z.date(), until: z.date().nullish() })
    .refine((r) => r.frequency !== 'DATES' || (r.dates?.length ?? 0) > 0, { message: 'Give the dates.', path: ['dates'] })
    .refine((r) => !r.until || r.until > r.startsAt, { message: 'The series must end after it starts.', path: ['until'] }),
});

builder.mutationField('createRecurringNeed', (t) =>
  t.field({
    type: [NeedRef],
    authScopes: { anyIntake: true },
    description: 'A need that recurs: one need per shift (at most 60, within 120 days), each claimed on its own.',
    args: {
      input: t.arg({ type: CreateNeedInput, required: true }),
      recurrence: t.arg({ type: RecurrenceInput, required: true }),
    },
    resolve: async (_root, { input, recurrence }, ctx) => {
      const series = await createRecurringNeed(ctx.services, ctx.viewer!, needInputOf(input), recurrence);
      return ctx.services.prisma.need.findMany({ where: { seriesId: series.id }, orderBy: { occurrenceAt: 'asc' } });
    },
  }),
);
