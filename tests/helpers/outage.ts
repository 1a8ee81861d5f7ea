// A page's connection to the API cut like a lost phone signal, and the positive signs a test waits for
// before it says what a page that cannot hear has not shown: that the API's event stream has handed the
// event out (so a page still connected would have it), that the page has since tried to reconnect and
// been turned away, and the cursor of the last event the page applied (its `data-cursor`).
import { expect } from 'vitest';
import type { Locator, Page, WebSocketRoute } from 'playwright-core';
import { collect } from './client.ts';
import type { Stack } from './stack.ts';

export type Outage = {
  /** Closes the page's sockets to the API and refuses new ones (and fails its GraphQL requests, with `http`). */
  cut(): Promise<void>;
  /** Lets the page connect again. */
  restore(): void;
  /**
   * Resolves once the page has tried to reconnect, and been refused, twice since the call: it has handled
   * a refusal that came after whatever the test did before (graphql-ws retries only once it has).
   */
  refusedTwiceMore(): Promise<void>;
};

/** Routes the page's GraphQL WebSockets (and requests, with `http`) through a switch the test can cut. */
export async function cuttable(
  page: Page,
  opts: { http?: boolean; onClientMessage?: (message: string) => void; rewriteClientMessage?: (message: string) => string } = {},
): Promise<Outage> {
  let down = false;
  let refused = 0;
  const open: { page: WebSocketRoute; server: WebSocketRoute }[] = [];
  await page.routeWebSocket(/\/graphql$/, (ws) => {
    if (down) {
      refused++;
      ws.close({ code: 1012, reason: 'network down (test)' });
      return;
    }
    const server = ws.connectToServer();
    open.push({ page: ws, server });
    const { onClientMessage: watch, rewriteClientMessage: rewrite } = opts;
    if (watch || rewrite) {
      ws.onMessage((message) => {
        watch?.(String(message));
        server.send(rewrite ? rewrite(String(message)) : message);
      });
    }
  });
  if (opts.http) await page.route(/\/graphql$/, (route) => (down ? route.abort('internetdisconnected') : route.continue()));
  return {
    async cut() {
      down = true;
      for (const s of open.splice(0)) {
        await s.page.close({ code: 1012, reason: 'network down (test)' });
        await s.server.close().catch(() => {});
      }
    },
    restore() {
      down = false;
    },
    async refusedTwiceMore() {
      const from = refused;
      // graphql-ws backs off up to 8 s (±25 %) between tries.
      await expect.poll(() => refused - from, { timeout: 30_000, interval: 100 }).toBeGreaterThanOrEqual(2);
    },
  };
}

/**
 * The cursor of the need's event of `type`, once the API's event stream has handed it to its subscribers:
 * a subscriber, even one that subscribes later (replaying after `after`, a cursor before the event), only
 * gets an event after the stream has delivered it to every live subscriber at once.
 */
export async function published(stack: Stack, needId: string, type: string, after: bigint, token: string | null = null): Promise<bigint> {
  const client = stack.api(token).ws();
  try {
    type Item = { needEvents: { cursor: string; type: string } };
    const found = (items: Item[]) => items.find((i) => i.needEvents.type === type);
    const items = await collect<Item>(
      client,
      `subscription($after: String, $needs: [ID!]) { needEvents(after: $after, filter: { needIds: $needs }) { cursor type } }`,
      { after: after.toString(), needs: [needId] },
      (seen) => !!found(seen),
    ).done;
    return BigInt(found(items)!.needEvents.cursor);
  } finally {
    await client.dispose();
  }
}

/** The page's `data-cursor` on `element`: the last live event it applied; null before it has one. */
export async function cursorOf(element: Locator): Promise<bigint | null> {
  const cursor = await element.getAttribute('data-cursor');
  return cursor ? BigInt(cursor) : null;
}
