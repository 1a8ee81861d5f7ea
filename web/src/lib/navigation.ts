/** A same-origin path to go to after signing in; anything else falls back to the board. */
export function safeNext(value: string | null): string {
  if (!value || !value.startsWith('/') || value.startsWith('//')) return '/';
  return value;
}
