// One form of these screens: what it shows next to each field (its own checks once a first attempt was
// made, then the API's verdict), and the sending, with focus moved to the first field to fix.
import { tick } from 'svelte';
import type { CombinedError } from '@urql/core';
import { toUiError, type UiError } from '#lib/graphql/errors.ts';

export class FormState {
  attempted = $state(false);
  busy = $state(false);
  error = $state.raw<UiError | null>(null);
  /** The last sending succeeded (until the next attempt). */
  done = $state(false);
  element: HTMLFormElement | undefined;
  readonly #prefix: string;
  readonly #check: () => Record<string, string>;
  readonly #serverNames: Record<string, string>;

  /** `check`: the form's own message per field; `serverNames`: a field the API calls otherwise. */
  constructor(prefix: string, check: () => Record<string, string>, serverNames: Record<string, string> = {}) {
    this.#prefix = prefix;
    this.#check = check;
    this.#serverNames = serverNames;
  }

  id = (field: string) => `${this.#prefix}-${field}`;
  text = (field: string): string | undefined => (this.attempted ? this.#check()[field] : undefined) ?? this.error?.fields[this.#serverNames[field] ?? field];
  invalid = (field: string) => (this.text(field) ? ('true' as const) : undefined);
  describedBy = (field: string, hint?: string) => [this.text(field) ? `${this.id(field)}-error` : '', hint ?? ''].filter(Boolean).join(' ') || undefined;
  /** A message for the whole form: only when no field carries one. */
  get general(): UiError | null {
    return this.error && Object.keys(this.error.fields).length === 0 ? this.error : null;
  }

  async #focusFirstInvalid() {
    await tick();
    this.element?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }

  /** Checks, then sends; true when it went through. */
  async submit(send: () => Promise<{ error?: CombinedError | undefined }>): Promise<boolean> {
    if (this.busy) return false;
    this.attempted = true;
    this.error = null;
    this.done = false;
    if (Object.keys(this.#check()).length) {
      await this.#focusFirstInvalid();
      return false;
    }
    this.busy = true;
    const result = await send();
    this.busy = false;
    if (result.error) {
      this.error = toUiError(result.error);
      await this.#focusFirstInvalid();
      return false;
    }
    this.attempted = false;
    this.done = true;
    return true;
  }
}
