import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EntityManager } from '@mikro-orm/postgresql';
import express, { type RequestHandler, Router } from 'express';
import { Client } from '../db/entities/index.js';
import type { Logger } from '../logger.js';

const here = path.dirname(fileURLToPath(import.meta.url));
/** packages/widget/dist, next to this package in the monorepo. */
export const DEFAULT_WIDGET_DIST = path.resolve(here, '../../../widget/dist');
const DEMO_PAGE = path.resolve(here, '../../../../examples/widget-demo/index.html');

/** `widget.3f2a9c01de.js`: the name changes with the content, so it may be cached for a year. */
const HASHED = /\.[0-9a-f]{8,}\.(js|css)$/;

export interface WidgetAssetsOptions {
  /** @default packages/widget/dist */
  distDir?: string;
  logger: Logger;
}

/**
 * Serves the widget bundles at /widget/ to any website: CORS `*`, a
 * cross-origin resource policy (helmet's default, same-origin, would stop
 * other sites from loading the script), a year of cache for hashed files and
 * five minutes for loader.js, whose URL never changes.
 */
export function widgetAssets(options: WidgetAssetsOptions): RequestHandler {
  const distDir = options.distDir ?? DEFAULT_WIDGET_DIST;
  if (!existsSync(path.join(distDir, 'loader.js'))) {
    options.logger.warn(
      { distDir },
      'widget bundle not built: /widget/ will answer 404 (run `pnpm --filter @leaddesk/widget build`)',
    );
  }
  const router = Router();
  router.use((_req, res, next) => {
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
    next();
  });
  router.use(
    express.static(distDir, {
      index: false,
      fallthrough: true,
      etag: true,
      setHeaders(res, file) {
        res.setHeader(
          'Cache-Control',
          HASHED.test(file) ? 'public, max-age=31536000, immutable' : 'public, max-age=300, must-revalidate',
        );
        if (file.endsWith('.js')) res.setHeader('Content-Type', 'text/javascript; charset=utf-8');
      },
    }),
  );
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
