// The domain's enums, registered once from the Prisma schema's values.
import { builder } from './builder.ts';
import {
  ClaimStatus,
  CommunityKind,
  MembershipRole,
  NeedCategory,
  NeedEventType,
  NeedStatus,
  NotificationKind,
  Urgency,
} from '../generated/prisma/enums.ts';

export const NeedCategoryEnum = builder.enumType(NeedCategory, { name: 'NeedCategory' });
export const UrgencyEnum = builder.enumType(Urgency, { name: 'Urgency' });
export const NeedStatusEnum = builder.enumType(NeedStatus, { name: 'NeedStatus' });
export const ClaimStatusEnum = builder.enumType(ClaimStatus, { name: 'ClaimStatus' });
export const CommunityKindEnum = builder.enumType(CommunityKind, { name: 'CommunityKind' });
export const MembershipRoleEnum = builder.enumType(MembershipRole, { name: 'MembershipRole' });
export const NeedEventTypeEnum = builder.enumType(NeedEventType, { name: 'NeedEventType' });
export const NotificationKindEnum = builder.enumType(NotificationKind, { name: 'NotificationKind' });

export const LocaleEnum = builder.enumType('Locale', {
  description: "The languages the app speaks, a user's choice; lower case, as the values are the BCP 47 language tags.",
  values: ['he', 'ar', 'en', 'ru'] as const,
});
