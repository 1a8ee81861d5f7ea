// Loads every domain file, then builds the schema. Nothing else.
import { builder } from './builder.ts';
import './enums.ts';
import './errorCodes.ts';
import './users.ts';
import './communities.ts';
import './members.ts';
import './needs.ts';
import './permissions.ts';
import './vetting.ts';
import './claims.ts';
import './events.ts';
import './dashboard.ts';
import './coordination.ts';
import './series.ts';
import './notifications.ts';
import './webhooks.ts';
import './intake.ts';
import './callerLookup.ts';
import './partnerships.ts';
import './households.ts';
import './indicators.ts';
import './retention.ts';
import './apiKeys.ts';
import './transfer.ts';
import './geocoding.ts';

export const schema = builder.toSchema({ sortSchema: true });
