// The last answer of a query, kept on the device for when the network is gone ("My tasks" offline).
// Keyed by user, and dropped at sign-out, so one person's tasks never show to the next.
import { createStore, clear, get, set } from 'idb-keyval';

export type Snapshot<T> = { at: string; data: T };

let store: ReturnType<typeof createStore> | undefined;
const snapshots = () => (store ??= createStore('ma-snapshots', 'snapshots'));

export async function saveSnapshot<T>(key: string, data: T): Promise<void> {
  await set(key, { at: new Date().toISOString(), data } satisfies Snapshot<T>, snapshots()).catch(() => {});
}

export async function readSnapshot<T>(key: string): Promise<Snapshot<T> | undefined> {
  return get<Snapshot<T>>(key, snapshots()).catch(() => undefined);
}

export async function clearSnapshots(): Promise<void> {
  await clear(snapshots()).catch(() => {});
}
