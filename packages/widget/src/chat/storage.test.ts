import { describe, expect, it } from 'vitest';
import { MapStorage } from '../../test/support/map-storage.js';
import { createStorage } from './storage.js';

describe('createStorage', () => {
  it('namespaces keys by site key in localStorage', () => {
    const backend = new MapStorage();
    const a = createStorage('pk_a', () => backend);
    const b = createStorage('pk_b', () => backend);
    a.set('visitor', 'v1');
    b.set('visitor', 'v2');
    expect(a.persistent).toBe(true);
    expect(backend.getItem('chatwidget:pk_a:visitor')).toBe('"v1"');
    expect(a.get('visitor')).toBe('v1');
    expect(b.get('visitor')).toBe('v2');
  });

  it('falls back to memory when reaching localStorage throws', () => {
    const store = createStorage('pk_a', () => {
      throw new Error('SecurityError: storage is blocked');
    });
    expect(store.persistent).toBe(false);
    store.set('lastSeq', 7);
    expect(store.get('lastSeq')).toBe(7);
    store.remove('lastSeq');
    expect(store.get('lastSeq')).toBeUndefined();
  });

  it('keeps working from memory when a write starts failing (quota)', () => {
    const backend = new MapStorage();
    const store = createStorage('pk_a', () => backend);
    backend.setItem = () => {
      throw new Error('QuotaExceededError');
    };
    store.set('outbox', [{ id: 1 }]);
    expect(store.persistent).toBe(false);
    expect(store.get('outbox')).toEqual([{ id: 1 }]);
  });

  it('ignores corrupt values instead of crashing', () => {
    const backend = new MapStorage();
    backend.setItem('chatwidget:pk_a:messages', '{not json');
    expect(createStorage('pk_a', () => backend).get('messages')).toBeUndefined();
  });
});
