// The need vocabulary of the UI: enum values in display order, colours and icons.
import { Baby, Brain, Briefcase, Car, CircleHelp, Flower2, HandHeart, House, Package, Pill, Tractor, Utensils, type IconNode } from 'lucide';
import type { introspection_types } from './graphql/graphql-env.d.ts';
import { LIVE_STATUSES as SHARED_LIVE_STATUSES } from '@mutual-aid/api/shared/boardFilter.ts';

export type NeedCategory = introspection_types['NeedCategory']['enumValues'];
export type Urgency = introspection_types['Urgency']['enumValues'];
export type NeedStatus = introspection_types['NeedStatus']['enumValues'];
export type NotificationKind = introspection_types['NotificationKind']['enumValues'];

export const CATEGORIES: readonly NeedCategory[] = [
  'FOOD',
  'MEDICINE',
  'TRANSPORT',
  'HOSTING',
  'CHILDCARE',
  'ELDERLY_SUPPORT',
  'AGRICULTURE',
  'EQUIPMENT',
  'MENTAL_HEALTH',
  'FUNERAL_SHIVA',
  'JOBS',
  'OTHER',
];
export const URGENCIES: readonly Urgency[] = ['CRITICAL', 'HIGH', 'NORMAL', 'LOW'];
export const STATUSES: readonly NeedStatus[] = ['OPEN', 'CLAIMED', 'IN_PROGRESS', 'DONE', 'CANCELLED'];
/** What the board shows when no status is chosen: the API's own list. */
export const LIVE_STATUSES: readonly NeedStatus[] = SHARED_LIVE_STATUSES;
export const NOTIFICATION_KINDS: readonly NotificationKind[] = ['NEW_CRITICAL_NEED', 'ASKED_TO_HELP', 'CLAIM_EXPIRING', 'HANDOVER_REQUESTED', 'NEED_COMPLETED'];

/** Higher is more urgent; drives cluster colour (max of members) and sorting. */
export const URGENCY_RANK: Record<Urgency, number> = { CRITICAL: 3, HIGH: 2, NORMAL: 1, LOW: 0 };

/** Urgency colours; each passes 4.5:1 against white text. */
export const URGENCY_COLOR: Record<Urgency, string> = {
  CRITICAL: '#b42318',
  HIGH: '#b54708',
  NORMAL: '#175cd3',
  LOW: '#475467',
};

export const CATEGORY_ICON: Record<NeedCategory, IconNode> = {
  AGRICULTURE: Tractor,
  CHILDCARE: Baby,
  ELDERLY_SUPPORT: HandHeart,
  EQUIPMENT: Package,
  FOOD: Utensils,
  FUNERAL_SHIVA: Flower2,
  HOSTING: House,
  JOBS: Briefcase,
  MEDICINE: Pill,
  MENTAL_HEALTH: Brain,
  OTHER: CircleHelp,
  TRANSPORT: Car,
};

/** SVG markup of an icon, for the map's images (the DOM uses the Icon component). */
export function iconSvg(node: IconNode, { size = 24, color = 'currentColor', strokeWidth = 2 } = {}): string {
  const children = node
    .map(([tag, attrs]) => `<${tag} ${Object.entries(attrs).map(([k, v]) => `${k}="${String(v)}"`).join(' ')}/>`)
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 24 24" fill="none" stroke="${color}" stroke-width="${strokeWidth}" stroke-linecap="round" stroke-linejoin="round">${children}</svg>`;
}
