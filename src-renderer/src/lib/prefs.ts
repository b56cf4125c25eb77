// View preferences that are not configuration (sort order, open tab, the planned static address
// of an interface without one): kept in localStorage, never sent to the engine.
const PREFIX = 'pocket-dhcp.';

export function loadPref<T>(key: string, fallback: T, storage: Pick<Storage, 'getItem'> | undefined = globalThis.localStorage): T {
  try {
    const raw = storage?.getItem(PREFIX + key);
    return raw ? (JSON.parse(raw) as T) : fallback;
  } catch {
    return fallback;
  }
}

export function savePref(key: string, value: unknown, storage: Pick<Storage, 'setItem'> | undefined = globalThis.localStorage): void {
  try {
    storage?.setItem(PREFIX + key, JSON.stringify(value));
  } catch {
    // Private mode or a full disk: preferences are a convenience, not data.
  }
}
