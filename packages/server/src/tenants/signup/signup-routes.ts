import { INDUSTRIES } from '@leaddesk/shared';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { type RequestHandler, Router } from 'express';
import { z } from 'zod';
import type { AuthService } from '../../auth/auth-service.js';
import type { Config } from '../../config/config.js';
import { type IClient, type IUser, User } from '../../db/entities/index.js';
import { AppError } from '../../errors/app-error.js';
import { parseInput } from '../../errors/validate.js';
import { requireEm } from '../../http/api-key-auth.js';
import { route } from '../../http/async-handler.js';
import { requestMeta } from '../../http/authenticate.js';
import type { OpenApiRegistry } from '../../http/openapi.js';
import type { KnowledgeService } from '../../knowledge/knowledge-service.js';
import { installStarterKnowledge, starterIngestOf } from '../starter-knowledge/index.js';
import { createClient } from '../tenant-service.js';

const signupSchema = z.object({
  businessName: z.string().trim().min(1).max(200),
  industry: z.enum(INDUSTRIES).default('other'),
  name: z.string().trim().min(1).max(200),
  email: z.string().trim().email().max(254),
  password: z.string().min(1).max(256),
  timezone: z.string().max(64).optional(),
  /** The website the widget goes on; its origin becomes the client's allowed origin. */
  website: z.string().url().max(300).optional(),
});

/**
 * Public sign-up, when the deployment opens it (`PUBLIC_SIGNUP=true`): a
 * business creates its client from an industry template on the sign-up plan,
 * with itself as admin, then signs in and finishes in the setup wizard.
 * Closed, it answers 404 and creates nothing. Limited like sign-in (per IP).
 */
export function signupRoutes(
  openapi: OpenApiRegistry,
  deps: {
    auth: AuthService;
    config: Pick<Config, 'signup' | 'http'>;
    limit: RequestHandler;
    knowledge?: KnowledgeService;
  },
): Router {
  const router = Router();
  const ingest = deps.knowledge ? starterIngestOf(deps.knowledge) : undefined;
  openapi.add({
    method: 'get',
    path: '/signup',
    summary: 'Whether this deployment lets businesses sign up themselves',
    tag: 'auth',
    auth: 'none',
  });
  router.get('/signup', (_req, res) => {
    res.json({ open: deps.config.signup.enabled });
  });
  openapi.add({
    method: 'post',
    path: '/signup',
    summary: 'Create a client and its admin account (only when PUBLIC_SIGNUP is on)',
    tag: 'auth',
    auth: 'none',
    body: signupSchema,
    status: 201,
  });
  router.post(
    '/signup',
    deps.limit,
    route(async (req, res) => {
      if (!deps.config.signup.enabled) throw new AppError('not_found', 'sign-up is not open on this deployment');
      const body = parseInput(signupSchema, req.body, 'body');
      const em = requireEm(req);
      const meta = requestMeta(req);
      // Checked before the client exists, so a refused sign-up leaves nothing behind.
      deps.auth.assertStrongPassword(body.password, [body.email, body.name, body.businessName]);
      if (await em.count(User, { email: body.email.toLowerCase() })) {
        throw new AppError('conflict', 'an account with this email already exists: sign in instead');
      }
      const origins = body.website ? [new URL(body.website).origin] : [];
      // The client and its owner in one transaction: a sign-up refused half-way (the same email a moment
      // ago in another request) or a process killed in between leaves neither.
      let signedUp: { client: IClient; user: IUser };
      try {
        signedUp = await em.transactional(async (tx) => {
          const { client } = await createClient(tx, {
            name: body.businessName,
            industry: body.industry,
            plan: deps.config.signup.plan,
            timezone: body.timezone,
            allowedOrigins: origins,
          });
          const user = await deps.auth.createOwner(tx, {
            client,
            email: body.email,
            name: body.name,
            password: body.password,
          });
          return { client, user };
        });
      } catch (err) {
        if (err instanceof UniqueConstraintViolationException && /email/.test(err.message)) {
          throw new AppError('conflict', 'an account with this email already exists: sign in instead');
        }
        throw err;
      }
      const { client, user } = signedUp;
      // After the commit: what refers to the new rows from other connections (the audit log, the starter
      // knowledge's ingestion jobs, the verification email).
      await deps.auth.audit(em, 'auth.signed_up', user, meta, { metadata: { client: client.slug } });
      if (ingest) await installStarterKnowledge(em, client, ingest);
      const base = deps.config.http.publicUrl ?? `${req.protocol}://${req.get('host')}`;
      await deps.auth.requestEmailVerification(em, user, base, meta).catch(() => undefined);
      res.status(201).json({ clientId: client.id, slug: client.slug, userId: user.id });
    }),
  );
  return router;
}
