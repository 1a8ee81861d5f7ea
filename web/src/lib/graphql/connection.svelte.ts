// The live connection as the person sees it: connected, or lost and coming back.
export type ConnectionStatus = 'idle' | 'connecting' | 'connected' | 'reconnecting';

export class ConnectionState {
  status = $state<ConnectionStatus>('idle');
  online = $state(true);
  /** Set for a few seconds after a reconnect so the banner can say "back online". */
  recovered = $state(false);
  #everConnected = false;
  #recoveredTimer: ReturnType<typeof setTimeout> | undefined;

  get lost(): boolean {
    return this.status === 'reconnecting' || !this.online;
  }

  connecting(isRetry: boolean) {
    this.status = isRetry || this.#everConnected ? 'reconnecting' : 'connecting';
  }

  connected(wasRetry: boolean) {
    const wasLost = this.status === 'reconnecting';
    this.status = 'connected';
    if (this.#everConnected && (wasRetry || wasLost)) {
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
