import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('uses the documented defaults with an empty environment', () => {
    const config = loadConfig({});
    expect(config.http.port).toBe(3000);
    expect(config.dataDir.endsWith('.data')).toBe(true);
    expect(config.database.kind).toBe('embedded');
    expect(config.redisUrl).toBeUndefined();
  });

  it('switches to real services when their URLs are set', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://u@db:5432/x', REDIS_URL: 'redis://cache:6379' });
    expect(config.database).toMatchObject({ kind: 'external', url: 'postgres://u@db:5432/x' });
    expect(config.redisUrl).toBe('redis://cache:6379');
  });

  it('treats blank optional variables as unset', () => {
    const config = loadConfig({ DATABASE_URL: '  ', ANTHROPIC_API_KEY: '' });
    expect(config.database.kind).toBe('embedded');
    expect(config.raw.ANTHROPIC_API_KEY).toBeUndefined();
  });

  it('names every bad variable at once', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', REDIS_URL: 'http://nope', APP_SECRET: 'short' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    for (const name of ['PORT', 'DATABASE_URL', 'REDIS_URL', 'APP_SECRET']) expect(problems).toContain(name);
    expect((error as ConfigError).problems).toHaveLength(4);
  });

  it('derives every Redis prefix from REDIS_PREFIX, keeping the deprecated rate-limit one when set', () => {
    expect(loadConfig({}).redisPrefix).toBe('ld:');
    expect(loadConfig({}).rateLimit.redisPrefix).toBe('ld:rl:');
    expect(loadConfig({ REDIS_PREFIX: 'acme:' }).rateLimit.redisPrefix).toBe('acme:rl:');
    expect(loadConfig({ REDIS_PREFIX: 'acme:', RATE_LIMIT_REDIS_PREFIX: 'old:' }).rateLimit.redisPrefix).toBe('old:');
    expect(() => loadConfig({ REDIS_PREFIX: 'has space' })).toThrow(/REDIS_PREFIX/);
  });

  it('keeps the legacy widget API on an unbranded deployment only, unless WIDGET_LEGACY_API says otherwise', () => {
    expect(loadConfig({}).branding.legacyWidgetApi).toBe(true);
    expect(loadConfig({ BRAND_PRODUCT_NAME: 'Brightline' }).branding.legacyWidgetApi).toBe(false);
    expect(loadConfig({ WIDGET_LEGACY_API: 'false' }).branding.legacyWidgetApi).toBe(false);
    expect(loadConfig({ BRAND_PRODUCT_NAME: 'Brightline', WIDGET_LEGACY_API: 'true' }).branding.legacyWidgetApi).toBe(
      true,
    );
    expect(() => loadConfig({ WIDGET_LEGACY_API: 'maybe' })).toThrow(/WIDGET_LEGACY_API/);
  });

  it('runs a web or worker role only beside a PostgreSQL server and Redis', () => {
    expect(loadConfig({}).role).toBe('all');
    let error: unknown;
    try {
      loadConfig({ ROLE: 'worker' });
    } catch (err) {
      error = err;
    }
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toContain('ROLE: worker needs DATABASE_URL');
    expect(problems).toContain('ROLE: worker needs REDIS_URL');
    const web = loadConfig({ ROLE: 'web', DATABASE_URL: 'postgres://u@db:5432/x', REDIS_URL: 'redis://cache:6379' });
    expect(web.role).toBe('web');
  });

  it('fits the ready grace and the socket drain inside the shutdown deadline', () => {
    expect(loadConfig({}).http).toMatchObject({ shutdownTimeoutMs: 10_000, readyGraceMs: 5000, socketDrainMs: 3000 });
    const tight = loadConfig({ SHUTDOWN_TIMEOUT_MS: '4000' }).http;
    expect(tight.readyGraceMs + tight.socketDrainMs).toBeLessThanOrEqual(3200);
    expect(tight.readyGraceMs).toBeGreaterThan(tight.socketDrainMs);
  });

  it('reads brand domain verification settings, refusing a record label or DNS server that cannot work', () => {
    expect(loadConfig({}).branding.domains).toEqual({
      txtLabel: '_domain-verification',
      pendingTtlMs: 168 * 3_600_000,
      recheckMs: 600_000,
      reverifyMs: 24 * 3_600_000,
      reverifyGraceMs: 72 * 3_600_000,
      dnsServers: [],
      dnsTimeoutMs: 3000,
    });
    expect(loadConfig({ BRAND_DOMAIN_REVERIFY_HOURS: '0' }).branding.domains.reverifyMs).toBe(0);
    const custom = loadConfig({ BRAND_DOMAIN_TXT_LABEL: '_Acme-Check', BRAND_DNS_SERVERS: '127.0.0.1:5353, ::1' });
    expect(custom.branding.domains.txtLabel).toBe('_acme-check');
    expect(custom.branding.domains.dnsServers).toEqual(['127.0.0.1:5353', '::1']);
    let error: unknown;
    try {
      loadConfig({ BRAND_DOMAIN_TXT_LABEL: '_a.b', BRAND_DNS_SERVERS: 'dns.example' });
    } catch (err) {
      error = err;
    }
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toContain('BRAND_DOMAIN_TXT_LABEL');
    expect(problems).toContain('BRAND_DNS_SERVERS');
  });
});
