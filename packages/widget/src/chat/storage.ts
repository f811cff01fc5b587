import { storagePrefix } from '../names.js';

/**
 * Key-value storage namespaced by site key (`chatwidget:<siteKey>:<key>`;
 * loader.js has moved any older keys there before the chat runs). localStorage when the browser
 * lets us use it; otherwise (blocked third-party storage, Safari private mode,
 * a sandboxed iframe, a full quota) plain memory, so the chat still works for
 * the life of the page.
 */
export interface WidgetStorage {
  readonly persistent: boolean;
  get<T>(key: string): T | undefined;
  set(key: string, value: unknown): void;
  remove(key: string): void;
  /** Calls `fn` when ANOTHER tab writes `key` (the browser's `storage` event). */
  watch<T>(key: string, fn: (value: T | undefined) => void): () => void;
}

export function createStorage(siteKey: string, backend: () => Storage = () => window.localStorage): WidgetStorage {
  const prefix = storagePrefix(siteKey);
  const memory = new Map<string, string>();
  let store: Storage | null = null;
  try {
    const candidate = backend();
    const probe = `${prefix}probe`;
    candidate.setItem(probe, '1');
    candidate.removeItem(probe);
    store = candidate;
  } catch {
    store = null;
  }
  const read = (key: string): string | null => {
    if (store) {
      try {
        return store.getItem(prefix + key);
      } catch {}
    }
    return memory.get(key) ?? null;
  };
  return {
    get persistent() {
      return store !== null;
    },
    get<T>(key: string): T | undefined {
      const raw = read(key);
      if (raw === null) return undefined;
      try {
        return JSON.parse(raw) as T;
      } catch {
        return undefined;
      }
    },
    set(key, value) {
      const raw = JSON.stringify(value);
      memory.set(key, raw);
      if (!store) return;
      try {
        store.setItem(prefix + key, raw);
      } catch {
        // Quota or a revoked permission: keep going from memory.
        store = null;
      }
    },
    remove(key) {
      memory.delete(key);
      try {
        store?.removeItem(prefix + key);
      } catch {}
    },
    watch<T>(key: string, fn: (value: T | undefined) => void) {
      const onStorage = (event: StorageEvent) => {
        if (!store || event.key !== prefix + key) return;
        try {
          fn(event.newValue === null ? undefined : (JSON.parse(event.newValue) as T));
        } catch {}
      };
      if (typeof window === 'undefined') return () => {};
      window.addEventListener('storage', onStorage);
      return () => window.removeEventListener('storage', onStorage);
    },
  };
}
