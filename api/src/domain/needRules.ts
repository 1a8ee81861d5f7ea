// What a valid need looks like: one set of rules for the API, imports and the seed.
import { z } from 'zod';

/** A required text, trimmed, at most `max` characters. */
export const trimmed = (max: number, label: string) => z.string().trim().min(1, `${label} is required.`).max(max, `${label} must be at most ${max} characters.`);

export const phoneRule = z.string().trim().regex(/^\+?[0-9 ()-]{6,20}$/, 'Enter a valid phone number.');
export const emailRule = z.email('Enter a valid e-mail address.').max(254);

export const needFieldRules = {
  title: trimmed(120, 'Title'),
  description: z.string().trim().max(4_000, 'Description must be at most 4000 characters.'),
  slots: z.number().int().min(1, 'At least one volunteer is needed.').max(500, 'At most 500 volunteers per need.'),
  lat: z.number().min(-90, 'Latitude must be between -90 and 90.').max(90, 'Latitude must be between -90 and 90.'),
  lng: z.number().min(-180, 'Longitude must be between -180 and 180.').max(180, 'Longitude must be between -180 and 180.'),
  address: trimmed(300, 'Address'),
  requesterName: trimmed(120, 'Requester name'),
  people: z.number().int().min(1, 'At least one person.').max(500, 'At most 500 people per need.'),
};

export const windowRule = (v: { neededFrom?: Date | null; neededBy?: Date | null }) => !v.neededFrom || !v.neededBy || v.neededBy > v.neededFrom;
