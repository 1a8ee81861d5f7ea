// A form's draft kept on this device (localStorage), so that what was typed during a call survives a
// reload, a server error or a lost connection; cleared once the form went through. Keyed by the
// signed-in user: on a shared operations-centre computer one operator's draft is not another's.
// Storage that refuses (private mode, full) only means no draft is kept.

const PREFIX = 'ma:draft:';

/** Every draft kept on this device, whoever's: a requester's words do not outlive the session (sign-out). */
export function forgetLocalDrafts(): void {
  try {
    for (const key of Object.keys(localStorage)) if (key.startsWith(PREFIX)) localStorage.removeItem(key);
  } catch {
    // Storage that refuses holds nothing to forget.
  }
}

export class LocalDraft<T> {
  readonly #key: string;

  constructor(name: string, userId: string) {
    this.#key = `${PREFIX}${name}:${userId}`;
  }

  load(): T | null {
    try {
      const raw = localStorage.getItem(this.#key);
      return raw ? (JSON.parse(raw) as T) : null;
    } catch {
      return null;
    }
  }

  save(value: T): void {
    try {
      localStorage.setItem(this.#key, JSON.stringify(value));
    } catch {
      // Nothing to do: the form itself still holds it.
    }
  }

  clear(): void {
    try {
      localStorage.removeItem(this.#key);
    } catch {
      // As above.
    }
  }
}
