// One form's state: what it shows next to each field (its own checks once a first attempt was made, then the
// API's verdict), the message above the fields, the sending, and focus moved to the first field to fix.
import { tick } from 'svelte';
import type { CombinedError } from '@urql/core';
import { fieldMessage, toUiError, type UiError } from '#lib/graphql/errors.ts';

export type FormOptions = {
  /** Element ids are `${prefix}-${field}`: needed where the form can stand on a page more than once. */
  prefix?: string;
  /** The form's own message per field still to fix: sending waits until there is none. */
  check?: () => Record<string, string>;
  /** Messages shown from the first keystroke, before any attempt (a text over its limit): part of `check` too. */
  live?: () => Record<string, string>;
  /** A field the API names otherwise, e.g. `{ amount: 'amountMinor' }`. */
  serverNames?: Record<string, string>;
  /** Given: our own message (`invalid.<field>`, translated) replaces the API's where we have one. */
  i18n?: Parameters<typeof fieldMessage>[2];
};

/** Said above the fields when some of them carry a message. */
const FIX_FIELDS: UiError = { code: 'BAD_USER_INPUT', key: 'error.BAD_USER_INPUT', params: {}, fields: {}, detail: '' };

export class Form {
  /** The `<form>` element (`bind:this`), searched for the first field to fix. */
  element: HTMLFormElement | undefined;
  readonly #options: FormOptions;
  #attempted = $state(false);
  #busy = $state(false);
  #done = $state(false);
  #error = $state.raw<UiError | null>(null);
  #own = $derived.by(() => (this.#attempted && this.#options.check ? this.#options.check() : (this.#options.live?.() ?? {})));

  constructor(options: FormOptions = {}) {
    this.#options = options;
  }

  /** A first attempt was made: the form's own checks are shown from now on. */
  get attempted() {
    return this.#attempted;
  }
  get busy() {
    return this.#busy;
  }
  /** The last sending went through (until the next attempt). */
  get done() {
    return this.#done;
  }
  /** The API's answer to the last sending, when it failed. */
  get error() {
    return this.#error;
  }
  /** The failure when no field carries it. */
  get general(): UiError | null {
    return this.#error && Object.keys(this.#error.fields).length === 0 ? this.#error : null;
  }
  /** The message above the fields: the failure itself, or that fields need fixing. */
  get alert(): UiError | null {
    return this.general ?? ((this.#attempted && Object.keys(this.#own).length > 0) || this.#error ? FIX_FIELDS : null);
  }

  id = (field: string) => (this.#options.prefix ? `${this.#options.prefix}-${field}` : field);
  errorId = (field: string) => `${this.id(field)}-error`;
  text = (field: string): string | undefined => {
    const server = this.#options.serverNames?.[field] ?? field;
    return this.#own[field] ?? (this.#options.i18n ? fieldMessage(this.#error, server, this.#options.i18n) : this.#error?.fields[server]);
  };
  invalid = (field: string) => (this.text(field) === undefined ? undefined : ('true' as const));
  /** The field's message (when it has one), then any hint. */
  describedBy = (field: string, hint?: string) => [this.text(field) === undefined ? '' : this.errorId(field), hint ?? ''].filter(Boolean).join(' ') || undefined;

  /** Checks, then sends: the result when it went through, null otherwise (the messages are then shown). */
  async submit<R extends { error?: CombinedError | undefined }>(send: () => Promise<R>): Promise<R | null> {
    if (this.#busy) return null;
    this.#attempted = true;
    this.#error = null;
    this.#done = false;
    if (this.#options.check && Object.keys(this.#options.check()).length > 0) {
      await this.#focusFirstInvalid();
      return null;
    }
    this.#busy = true;
    let result: R;
    try {
      result = await send();
    } finally {
      this.#busy = false;
    }
    if (result.error) {
      this.#error = toUiError(result.error);
      await this.#focusFirstInvalid();
      return null;
    }
    this.#attempted = false;
    this.#done = true;
    return result;
  }

  async #focusFirstInvalid() {
    await tick();
    this.element?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }
}
