// The viewer's notifications: the list, the unread count (live), read marks.
import { graphql, type ResultOf } from './graphql.ts';

export const NotificationFields = graphql(`
  fragment NotificationFields on Notification {
    id
    kind
    title
    body
    createdAt
    readAt
    needId
  }
`);

export const MyNotificationsQuery = graphql(
  `
    query MyNotifications($first: Int!, $unreadOnly: Boolean!) {
      myNotifications(first: $first, unreadOnly: $unreadOnly) { ...NotificationFields }
    }
  `,
  [NotificationFields],
);

/** Emits the unread list now and whenever a notification arrives. */
export const MyNotificationsSubscription = graphql(`
  subscription MyNotificationsLive {
    myNotifications { id }
  }
`);

export const MarkNotificationsReadMutation = graphql(`
  mutation MarkNotificationsRead($ids: [ID!]) {
    markNotificationsRead(ids: $ids)
  }
`);

/** What the bell counts; refetched by whoever changes it. */
export const UNREAD = { first: 50, unreadOnly: true } as const;

export type NotificationData = ResultOf<typeof NotificationFields>;
