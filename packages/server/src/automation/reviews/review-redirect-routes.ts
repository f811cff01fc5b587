import { Router } from 'express';
import { route } from '../../http/async-handler.js';
import type { ReviewCapture } from './review-capture.js';

/**
 * `GET /r/:token`: the tracked review link a lead receives. Counts the click
 * and answers 302 to the tenant's review page; an unknown token is a 404 that
 * reveals nothing. Public (the lead has no credentials), outside `/api/v1`.
 */
export function reviewRedirectRoutes(reviews: ReviewCapture): Router {
  const router = Router();
  router.get(
    '/r/:token',
    route(async (req, res) => {
      const link = await reviews.click(String(req.params.token));
      res.setHeader('cache-control', 'no-store');
      res.setHeader('referrer-policy', 'no-referrer');
      if (!link) {
        res.status(404).type('text/plain').send('This link is not valid.');
        return;
      }
      res.redirect(302, link);
    }),
  );
  return router;
}
