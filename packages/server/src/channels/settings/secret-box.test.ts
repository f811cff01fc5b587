import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SecretBox } from './secret-box.js';

describe('SecretBox', () => {
  it('round-trips with a fresh IV each time and refuses a tampered or foreign value', () => {
    const box = SecretBox.fromAppSecret('x'.repeat(40));
    const a = box.seal('EAAG-access-token-1234');
    const b = box.seal('EAAG-access-token-1234');
    expect(a).not.toBe(b);
    expect(a).not.toContain('EAAG');
    expect(box.open(a)).toBe('EAAG-access-token-1234');
    const [v, iv, tag, data] = a.split('.');
    const flipped = `${v}.${iv}.${tag}.${(data ?? '').slice(0, -2)}${(data ?? '').endsWith('A') ? 'B' : 'A'}A`;
    expect(() => box.open(flipped)).toThrow();
    expect(() => SecretBox.fromAppSecret('y'.repeat(40)).open(a)).toThrow();
    expect(() => box.open('plain-text')).toThrow(/not a sealed secret/);
  });

  it('without APP_SECRET uses one per-install key file (0600) in development, and nothing in production', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ld-box-'));
    try {
      const first = SecretBox.create({ dataDir: dir, production: false });
      const again = SecretBox.create({ dataDir: dir, production: false });
      expect(first && again).toBeTruthy();
      const sealed = first?.seal('secret') ?? '';
      expect(again?.open(sealed)).toBe('secret');
      const stat = fs.statSync(path.join(dir, 'channel-secrets.key'));
      expect(stat.mode & 0o777).toBe(0o600);
      expect(SecretBox.create({ dataDir: dir, production: true })).toBeNull();
      expect(SecretBox.create({ dataDir: dir, production: true, appSecret: 'z'.repeat(32) })).not.toBeNull();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
