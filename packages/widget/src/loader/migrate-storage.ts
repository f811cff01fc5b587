import { storagePrefix } from '../names.js';

/**
 * Widgets before the neutral names kept the visitor's token, conversation and
 * messages under `<old prefix>:<siteKey>:<key>`. This moves each such entry to
 * `chatwidget:<siteKey>:<key>` once (a value already there is newer and is
 * kept) and deletes the old one, so a returning visitor keeps their
 * conversation. Entries are found by the site key (ours, random) behind a
 * lower-case prefix rather than by the old prefix itself, so the loader a
 * white-labelled site gets moves them too without naming the platform.
 * Runs in loader.js before anything reads storage; blocked or full storage
 * leaves things as they are.
 */
export function migrateStorage(siteKey: string, store: () => Storage = () => localStorage): void {
  try {
    const s = store();
    const prefix = storagePrefix(siteKey);
    const marker = `:${siteKey}:`;
    const old: string[] = [];
    for (let i = 0; i < s.length; i++) {
      const key = s.key(i);
      const at = key ? key.indexOf(marker) : -1;
      if (key && at > 0 && !key.startsWith(prefix) && /^[a-z]+$/.test(key.slice(0, at))) old.push(key);
    }
    for (const key of old) {
      const target = prefix + key.slice(key.indexOf(marker) + marker.length);
      const value = s.getItem(key);
      if (value !== null && s.getItem(target) === null) s.setItem(target, value);
      s.removeItem(key);
    }
  } catch {}
}
