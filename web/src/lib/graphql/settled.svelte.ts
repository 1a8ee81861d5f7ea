// Asking the API as someone types: once the question (its key) has stopped changing for a moment,
// and never answering with a reply to an earlier question. Call during a component's setup.

/**
 * Runs `ask(key, isStale)` once `key()` has kept its value for `pauseMs`; `onNone()` at once when it
 * is null (nothing to ask). A reply that arrives after the key changed finds `isStale()` true.
 */
export function askWhenSettled<K>(key: () => K | null, pauseMs: number, ask: (key: K, isStale: () => boolean) => Promise<void>, onNone: () => void) {
  $effect(() => {
    const asked = key();
    if (asked === null) {
      onNone();
      return;
    }
    let stale = false;
    const timer = setTimeout(() => void ask(asked, () => stale), pauseMs);
    return () => {
      stale = true;
      clearTimeout(timer);
    };
  });
}
