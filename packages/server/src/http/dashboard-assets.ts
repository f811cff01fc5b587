import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EffectiveBranding } from '@leaddesk/shared';
import express, { type RequestHandler, Router } from 'express';
import { brandedIndexHtml } from '../branding/dashboard-page.js';
import type { Logger } from '../logger.js';

const here = path.dirname(fileURLToPath(import.meta.url));
/** packages/dashboard/dist, next to this package in the monorepo. */
export const DEFAULT_DASHBOARD_DIST = path.resolve(here, '../../../dashboard/dist');
/** Content-hashed names: ours (hex, the CSS) and esbuild's (`[hash]`, 8 characters of base32: the JS chunks). */
export const HASHED = /\.(?:[0-9a-f]{8,}|[A-Z2-7]{8})\.(?:js|css)$/;

/**
 * Serves the staff dashboard at /dashboard: hashed bundles (the entry, the
 * lazily loaded page chunks and the chunks they share) with a year of cache,
 * and index.html (never cached) for every other path, so the client-side
 * router owns /dashboard/inbox/…, /dashboard/leads and so on. A missing file
 * (a chunk of an older deploy) is a 404, never index.html: a module script
 * answered with HTML would fail with a confusing MIME error.
 */
export function dashboardAssets(options: {
  distDir?: string;
  logger: Logger;
  /** The Host header's effective branding (white-label): index.html is served in it. */
  branding?: (host: string | undefined) => Promise<{ branding: EffectiveBranding }>;
}): RequestHandler {
  const distDir = options.distDir ?? DEFAULT_DASHBOARD_DIST;
  const index = path.join(distDir, 'index.html');
  if (!existsSync(index)) {
    options.logger.warn(
      { distDir },
      'dashboard not built: /dashboard will answer 404 (run `pnpm --filter @leaddesk/dashboard build`)',
    );
  }
  const router = Router();
  router.use(
    express.static(distDir, {
      index: false,
      fallthrough: true,
      setHeaders(res, file) {
        res.setHeader('Cache-Control', HASHED.test(file) ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    }),
  );
  // index.html, read again only when a build replaces it.
  let cached: { mtimeMs: number; html: string } | undefined;
  const readIndex = () => {
    const { mtimeMs } = statSync(index);
    if (cached?.mtimeMs !== mtimeMs) cached = { mtimeMs, html: readFileSync(index, 'utf8') };
    return cached.html;
  };
  router.get(/.*/, async (req, res) => {
    if (path.extname(req.path)) return res.status(404).type('text/plain').send('dashboard file not found');
    if (!existsSync(index)) return res.status(404).type('text/plain').send('dashboard not built');
    res.setHeader('Cache-Control', 'no-cache');
    // The page differs by Host: caches must key it on the host.
    res.setHeader('Vary', 'Host');
    if (!options.branding) return res.sendFile(index);
    const { branding } = await options.branding(req.get('host'));
    res.type('html').send(brandedIndexHtml(readIndex(), branding));
  });
  return router;
}
