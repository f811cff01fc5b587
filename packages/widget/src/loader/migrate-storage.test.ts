import { describe, expect, it } from 'vitest';
import { MapStorage } from '../../test/support/map-storage.js';
import { migrateStorage } from './migrate-storage.js';

describe('migrateStorage', () => {
  it("moves a site's old-prefixed keys to chatwidget:<siteKey>:, once, and leaves other sites and the page's keys", () => {
    const s = new MapStorage();
    s.setItem('leaddesk:pk_a:visitorToken', '"v_1.sig"');
    s.setItem('leaddesk:pk_a:messages', '[{"id":"m1"}]');
    s.setItem('leaddesk:pk_b:visitorToken', '"v_2.sig"');
    s.setItem('cart:items', '[1]');
    s.setItem('Other:pk_a:x', '1');
    migrateStorage('pk_a', () => s);
    expect(Object.fromEntries(s.map)).toEqual({
      'chatwidget:pk_a:visitorToken': '"v_1.sig"',
      'chatwidget:pk_a:messages': '[{"id":"m1"}]',
      'leaddesk:pk_b:visitorToken': '"v_2.sig"',
      'cart:items': '[1]',
      'Other:pk_a:x': '1',
    });
    migrateStorage('pk_a', () => s);
    expect(s.getItem('chatwidget:pk_a:visitorToken')).toBe('"v_1.sig"');
  });

  it('keeps a value already under the new key (newer) and still deletes the old one', () => {
    const s = new MapStorage();
    s.setItem('chatwidget:pk_a:visitorToken', '"v_new"');
    s.setItem('leaddesk:pk_a:visitorToken', '"v_old"');
    migrateStorage('pk_a', () => s);
    expect(Object.fromEntries(s.map)).toEqual({ 'chatwidget:pk_a:visitorToken': '"v_new"' });
  });

  it('leaves the old keys when storage is blocked or a write fails', () => {
    expect(() =>
      migrateStorage('pk_a', () => {
        throw new Error('SecurityError');
      }),
    ).not.toThrow();
    const s = new MapStorage();
    s.setItem('leaddesk:pk_a:messages', '[]');
    s.setItem = () => {
      throw new Error('QuotaExceededError');
    };
    migrateStorage('pk_a', () => s);
    expect(Object.fromEntries(s.map)).toEqual({ 'leaddesk:pk_a:messages': '[]' });
  });
});
