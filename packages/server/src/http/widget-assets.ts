import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type Request, type RequestHandler, Router } from 'express';
import { Client } from '../db/entities/index.js';
import type { Logger } from '../logger.js';

const here = path.dirname(fileURLToPath(import.meta.url));
/** packages/widget/dist, next to this package in the monorepo. */
export const DEFAULT_WIDGET_DIST = path.resolve(here, '../../../widget/dist');
const DEMO_PAGE = path.resolve(here, '../../../../examples/widget-demo/index.html');

/** `widget.en.3f2a9c01de.js`: the name changes with the content, so it may be cached for a year. */
const HASHED = /\.[0-9a-f]{8,}\.(js|css)$/;
/** Plain file names only: no folders, no dot files, so nothing outside distDir is reachable. */
const SAFE_NAME = /^[\w-][\w.-]*\.(js|css|json)$/;
const TYPES: Record<string, string> = {
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  json: 'application/json; charset=utf-8',
};

export interface WidgetAssetsOptions {
  /** @default packages/widget/dist */
  distDir?: string;
  logger: Logger;
  /**
   * Whether this request for loader.js gets loader.legacy.js, the build with the deprecated platform-named
   * aliases (`window.LeadDesk`, `<leaddesk-widget>`, `leaddesk:ready`): only the deployment's own host of an
   * unbranded deployment, never a brand domain (docs/white-label.md).
   * @default never
   */
  legacyLoader?: (req: Request) => Promise<boolean>;
}

/** The loader's URL never changes; which build it answers with may depend on the Host (see `legacyLoader`). */
const LOADER = 'loader.js';
const LEGACY_LOADER = 'loader.legacy.js';

type Encoding = 'br' | 'gzip' | 'identity';
/** Preferred first when the browser accepts both equally (brotli is ~10% smaller than gzip -9 here). */
const ENCODINGS: Array<{ encoding: Encoding; suffix: string }> = [
  { encoding: 'br', suffix: '.br' },
  { encoding: 'gzip', suffix: '.gz' },
  { encoding: 'identity', suffix: '' },
];

/**
 * The encodings an `Accept-Encoding` header allows, best first (RFC 9110
 * §12.5.3): q-values, `*`, and `identity` acceptable unless refused.
 */
export function acceptedEncodings(header: string | undefined): Encoding[] {
  const q = new Map<string, number>();
  for (const part of (header ?? '').split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const value = qParam ? Number(qParam.slice(2)) : 1;
    q.set(name, Number.isFinite(value) ? value : 0);
  }
  const star = q.get('*');
  const weight = (e: Encoding) => q.get(e) ?? (e === 'identity' ? (star === 0 ? 0 : 0.001) : (star ?? 0));
  return ENCODINGS.map((e, i) => ({ e: e.encoding, w: weight(e.encoding), i }))
    .filter((x) => x.w > 0)
    .sort((a, b) => b.w - a.w || a.i - b.i)
    .map((x) => x.e);
}

interface Variant {
  body: Buffer;
  etag: string;
}

/**
 * Reads a file and its precompressed twins once per change (size + mtime), so
 * a request costs a stat, not a read or a compression.
 */
function variantCache(distDir: string) {
  const cache = new Map<string, { key: string; variant: Variant }>();
  return async (file: string, encoding: Encoding): Promise<Variant | null> => {
    const full = path.join(distDir, file + (ENCODINGS.find((e) => e.encoding === encoding)?.suffix ?? ''));
    let info: Awaited<ReturnType<typeof stat>>;
    try {
      info = await stat(full);
    } catch {
      return null;
    }
    if (!info.isFile()) return null;
    const key = `${info.size}:${info.mtimeMs}`;
    const hit = cache.get(full);
    if (hit?.key === key) return hit.variant;
    const body = await readFile(full);
    // Strong ETag per encoding: the bytes differ, so must the tag (RFC 9110 §8.8.3).
    const tag = createHash('sha256').update(body).digest('base64url').slice(0, 22);
    const variant = { body, etag: `"${tag}${encoding === 'identity' ? '' : `-${encoding}`}"` };
    cache.set(full, { key, variant });
    return variant;
  };
}

const matchesEtag = (header: string | undefined, etag: string) =>
  !!header && (header.trim() === '*' || header.split(',').some((t) => t.trim().replace(/^W\//, '') === etag));

/**
 * Serves the widget bundles at /widget/ to any website: CORS `*`, a
 * cross-origin resource policy (helmet's default, same-origin, would stop
 * other sites from loading the script), the build's brotli or gzip twin by
 * `Accept-Encoding` (`Vary: Accept-Encoding`, an ETag per encoding), a year of
 * immutable cache for content-hashed files and five minutes plus
 * revalidation for loader.js, whose URL never changes.
 */
export function widgetAssets(options: WidgetAssetsOptions): RequestHandler {
  const distDir = options.distDir ?? DEFAULT_WIDGET_DIST;
  if (!existsSync(path.join(distDir, LOADER))) {
    options.logger.warn(
      { distDir },
      'widget bundle not built: /widget/ will answer 404 (run `pnpm --filter @leaddesk/widget build`)',
    );
  }
  const variant = variantCache(distDir);
  const router = Router();
  router.use((_req, res, next) => {
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
    next();
  });
  router.get('/:file', async (req, res, next) => {
    let file = req.params.file;
    if (!SAFE_NAME.test(file)) return next();
    try {
      if (file === LOADER && options.legacyLoader) {
        // The same URL answers differently by Host: caches must keep one copy per host.
        res.setHeader('Vary', 'Accept-Encoding, Host');
        // A build from before the legacy loader existed answers with loader.js.
        if ((await options.legacyLoader(req)) && (await variant(LEGACY_LOADER, 'identity'))) file = LEGACY_LOADER;
      }
      let chosen: { encoding: Encoding; found: Variant } | undefined;
      for (const encoding of acceptedEncodings(req.get('accept-encoding'))) {
        const found = await variant(file, encoding);
        if (found) {
          chosen = { encoding, found };
          break;
        }
      }
      if (!chosen) {
        // Present but not in an acceptable encoding: 406; absent: 404 below.
        if (await variant(file, 'identity')) {
          res.status(406).type('text/plain').send('no acceptable encoding');
          return;
        }
        return next();
      }
      const { encoding, found } = chosen;
      if (!res.getHeader('Vary')) res.setHeader('Vary', 'Accept-Encoding');
      res.setHeader(
        'Cache-Control',
        HASHED.test(file) ? 'public, max-age=31536000, immutable' : 'public, max-age=300, must-revalidate',
      );
      res.setHeader('ETag', found.etag);
      if (matchesEtag(req.get('if-none-match'), found.etag)) {
        res.status(304).end();
        return;
      }
      res.setHeader('Content-Type', TYPES[file.slice(file.lastIndexOf('.') + 1)] ?? 'application/octet-stream');
      if (encoding !== 'identity') res.setHeader('Content-Encoding', encoding);
      res.setHeader('Content-Length', String(found.body.length));
      // HEAD gets the headers only (Express routes HEAD to GET handlers).
      res.status(200).end(req.method === 'HEAD' ? undefined : found.body);
    } catch (err) {
      next(err);
    }
  });
  router.use((_req, res) => {
    res.status(404).type('text/plain').send('widget file not found');
  });
  return router;
}

export interface DemoPageOptions {
  em: () => EntityManager;
  /** @default examples/widget-demo/index.html */
  pagePath?: string;
}

/**
 * Development only: examples/widget-demo/index.html with the snippet pointed at
 * this server and the demo client's site key filled in.
 */
export function widgetDemoPage(options: DemoPageOptions): Router {
  const pagePath = options.pagePath ?? DEMO_PAGE;
  const router = Router();
  // `/demo/` so that the page's relative `demo.js` resolves here as it does from disk.
  router.get('/', (req, res, next) => {
    if (!req.originalUrl.split('?')[0]!.endsWith('/')) {
      res.redirect(301, `${req.baseUrl}/`);
      return;
    }
    next();
  });
  router.get('/demo.js', (_req, res) => {
    res.sendFile(path.join(path.dirname(pagePath), 'demo.js'));
  });
  router.get('/', async (req, res) => {
    const client = await options.em().findOne(Client, { slug: 'demo' });
    if (!client) {
      res.status(404).type('text/plain').send('no demo client: start with SEED_DEMO=true on an empty database');
      return;
    }
    const origin = `${req.protocol}://${req.get('host')}`;
    const html = (await readFile(pagePath, 'utf8'))
      .replaceAll('http://localhost:3000/widget/loader.js', `${origin}/widget/loader.js`)
      .replaceAll('pk_REPLACE_WITH_YOUR_SITE_KEY', client.siteKey);
    res.setHeader('Cache-Control', 'no-store');
    res.type('html').send(html);
  });
  return router;
}
