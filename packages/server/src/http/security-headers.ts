import type { RequestHandler } from 'express';
import helmet from 'helmet';

/**
 * Helmet with a policy that fits what this server serves: JSON APIs, the
 * staff dashboard (/dashboard: own scripts, styles and images, Socket.IO to
 * the same origin) and the widget bundle (/widget), which other sites load
 * with a <script> tag and so must be readable cross-origin. The widget runs
 * inside the host page, under the host's CSP, not ours.
 */
export function securityHeaders(): RequestHandler[] {
  return [
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'", "'unsafe-inline'"],
          // https: a white-labelled dashboard's logo and favicon live on the brand's own CDN (docs/white-label.md).
          imgSrc: ["'self'", 'data:', 'blob:', 'https:'],
          fontSrc: ["'self'", 'data:'],
          connectSrc: ["'self'"],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          scriptSrcAttr: ["'none'"],
          upgradeInsecureRequests: null,
        },
      },
      strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: true },
      referrerPolicy: { policy: 'no-referrer' },
    }),
    (req, res, next) => {
      if (req.path.startsWith('/widget')) res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
      next();
    },
  ];
}
