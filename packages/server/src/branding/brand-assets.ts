import { Router } from 'express';

/**
 * The deployment's own logo and favicon (the defaults of BRAND_LOGO_URL and BRAND_FAVICON_URL), served at
 * /brand-assets/…. A white-labelled dashboard never references them (the crawl test checks): its brand's
 * logo and favicon replace them, and a brand without its own gets no image rather than ours.
 */
const MARK = `<rect width="32" height="32" rx="7" fill="#4f46e5"/><path d="M9 8h3v13h7v3H9z" fill="#fff"/><circle cx="22" cy="11" r="3" fill="#c7d2fe"/>`;

const ASSETS: Record<string, string> = {
  'favicon.svg': `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">${MARK}</svg>`,
  'logo.svg': `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32" width="32" height="32">${MARK}</svg>`,
};

export function brandAssets(): Router {
  const router = Router();
  router.get('/:name', (req, res) => {
    const svg = ASSETS[req.params.name];
    if (!svg) return res.status(404).type('text/plain').send('not found');
    res.setHeader('Cache-Control', 'public, max-age=86400');
    res.type('image/svg+xml').send(svg);
  });
  return router;
}
