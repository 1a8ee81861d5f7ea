// The live connection as the person sees it: connected, or lost and coming back.
import { getContext, setContext } from 'svelte';

export type ConnectionStatus = 'idle' | 'connecting' | 'connected' | 'reconnecting';

export class ConnectionState {
  status = $state<ConnectionStatus>('idle');
  online = $state(true);
  /** Set for a few seconds after a reconnect so the banner can say "back online". */
  recovered = $state(false);
  /** Counts reconnections, so views whose subscription cannot resume (needChanged) refetch after one. */
  reconnects = $state(0);
  #everConnected = false;
  #recoveredTimer: ReturnType<typeof setTimeout> | undefined;

  get lost(): boolean {
    return this.status === 'reconnecting' || !this.online;
  }

  connecting(isRetry: boolean) {
    // A lazy socket reopening for a new subscription is not a lost connection; a retry is.
    this.status = isRetry || this.status === 'reconnecting' ? 'reconnecting' : 'connecting';
  }

  connected(wasRetry: boolean) {
    const wasLost = this.status === 'reconnecting';
    this.status = 'connected';
    if (this.#everConnected && (wasRetry || wasLost)) {
      this.reconnects++;
      this.recovered = true;
      clearTimeout(this.#recoveredTimer);
      this.#recoveredTimer = setTimeout(() => (this.recovered = false), 4_000);
    }
    this.#everConnected = true;
  }

  closed(event: unknown) {
    // 1000 is the lazy client closing an unused socket; anything else is a lost connection.
    const code = (event as { code?: number } | undefined)?.code;
    this.status = code === 1000 || !this.#everConnected ? 'idle' : 'reconnecting';
  }
}

const KEY = Symbol('connection');
export const setConnection = (c: ConnectionState) => setContext(KEY, c);
export const getConnection = () => getContext<ConnectionState>(KEY);
