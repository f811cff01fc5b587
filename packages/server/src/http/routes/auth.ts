import cookieParser from 'cookie-parser';
import type { Request, Response } from 'express';
import { Router } from 'express';
import { z } from 'zod';
import type { AuthService, IssuedSession } from '../../auth/auth-service.js';
import { userToDto } from '../../auth/auth-service.js';
import type { Config } from '../../config/config.js';
import type { IAgency, IClient, IUser } from '../../db/entities/index.js';
import { AppError } from '../../errors/app-error.js';
import { parseInput } from '../../errors/validate.js';
import { requireEm } from '../api-key-auth.js';
import { route, runMiddleware } from '../async-handler.js';
import { authenticate, requestMeta, requireUser } from '../authenticate.js';
import type { OpenApiRegistry } from '../openapi.js';

/**
 * Staff sign-in and account security under /api/v1/auth. The refresh token
 * travels in an HttpOnly, SameSite=Strict cookie scoped to this path (browsers),
 * or in the JSON body when the caller asks for `tokenTransport: "body"`
 * (mobile apps, scripts); it is never both.
 */
export const REFRESH_COOKIE = 'ld_refresh';
export const AUTH_PATH = '/api/v1/auth';

const email = z.string().trim().min(3).max(254).email();
const password = z.string().min(1).max(1024);
const device = z.string().max(200).optional();
const tokenTransport = z.enum(['cookie', 'body']).default('cookie');
const code = z.string().trim().min(6).max(12);

const loginSchema = z.object({ email, password, device, tokenTransport });
const mfaSchema = z
  .object({
    mfaToken: z.string().min(10).max(2000),
    code: code.optional(),
    backupCode: z.string().max(40).optional(),
    device,
    tokenTransport,
  })
  .refine((b) => !!b.code !== !!b.backupCode, { message: 'send exactly one of code or backupCode' });
const refreshSchema = z.object({
  refreshToken: z.string().max(200).optional(),
  device,
  tokenTransport: z.enum(['cookie', 'body']).optional(),
});
const forgotSchema = z.object({ email });
const resetSchema = z.object({ token: z.string().min(10).max(200), password: z.string().max(1024) });
const acceptSchema = z.object({
  token: z.string().min(10).max(200),
  name: z.string().trim().min(1).max(200).optional(),
  password: z.string().max(1024),
});
const verifySchema = z.object({ token: z.string().min(10).max(200) });
const changePasswordSchema = z.object({ currentPassword: password, newPassword: z.string().max(1024) });
const setupSchema = z.object({ mfaToken: z.string().min(10).max(2000).optional() });
const enableSchema = z.object({ code, mfaToken: z.string().min(10).max(2000).optional(), device, tokenTransport });
const disableSchema = z.object({ password, code });
const codeSchema = z.object({ code });

const sessionResponse = z.object({
  status: z.literal('authenticated'),
  tokenType: z.literal('Bearer'),
  accessToken: z.string(),
  expiresIn: z.number(),
  refreshToken: z.string().optional(),
  refreshTokenExpiresAt: z.string(),
  user: z.object({ id: z.string(), email: z.string(), role: z.string() }).passthrough(),
});

export function authRoutes(
  openapi: OpenApiRegistry,
  auth: AuthService,
  config: Config,
  limits: { auth: import('express').RequestHandler },
): Router {
  const router = Router();
  router.use('/auth', cookieParser(), (_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  const signedIn = authenticate(auth);
  const doc = (method: 'get' | 'post' | 'delete', path: string, summary: string, extra: object = {}) =>
    openapi.add({ method, path, summary, tag: 'auth', auth: 'none', ...extra });

  const cookieSecure = (req: Request) =>
    config.isProduction || req.secure || (config.http.publicUrl?.startsWith('https:') ?? false);
  const sendSession = (req: Request, res: Response, session: IssuedSession, transport: 'cookie' | 'body') => {
    if (transport === 'cookie') {
      res.cookie(REFRESH_COOKIE, session.refreshToken, {
        httpOnly: true,
        secure: cookieSecure(req),
        sameSite: 'strict',
        path: AUTH_PATH,
        expires: session.refreshTokenExpiresAt,
      });
    }
    res.json({
      status: 'authenticated',
      tokenType: 'Bearer',
      accessToken: session.accessToken,
      expiresIn: session.accessTokenExpiresIn,
      ...(transport === 'body' ? { refreshToken: session.refreshToken } : {}),
      refreshTokenExpiresAt: session.refreshTokenExpiresAt.toISOString(),
      user: userToDto(session.user),
    });
  };
  const clearCookie = (req: Request, res: Response) =>
    res.clearCookie(REFRESH_COOKIE, { httpOnly: true, secure: cookieSecure(req), sameSite: 'strict', path: AUTH_PATH });
  const baseUrl = (req: Request) => {
    if (config.http.publicUrl) return config.http.publicUrl;
    // The Host header is the caller's to choose: never build mailed links from it in production.
    if (config.isProduction) throw new AppError('service_unavailable', 'PUBLIC_URL must be set to send account emails');
    return `${req.protocol}://${req.get('host')}`;
  };

  doc('post', '/auth/login', 'Sign in with email and password', { body: loginSchema });
  router.post(
    '/auth/login',
    limits.auth,
    route(async (req, res) => {
      const body = parseInput(loginSchema, req.body, 'body');
      const result = await auth.login(requireEm(req), body, requestMeta(req));
      if (result.status === 'authenticated') return sendSession(req, res, result.session, body.tokenTransport);
      res.json({
        status: result.status,
        mfaToken: result.mfaToken,
        message:
          result.status === 'mfa_required'
            ? 'enter the code from your authenticator app (or a backup code) at POST /auth/login/2fa'
            : 'your organisation requires two-factor authentication: enrol at POST /auth/2fa/setup and /auth/2fa/enable',
      });
    }),
  );

  doc('post', '/auth/login/2fa', 'Second sign-in step: TOTP code or backup code', {
    body: mfaSchema,
    response: sessionResponse,
  });
  router.post(
    '/auth/login/2fa',
    limits.auth,
    route(async (req, res) => {
      const body = parseInput(mfaSchema, req.body, 'body');
      const session = await auth.completeMfa(requireEm(req), body, requestMeta(req));
      sendSession(req, res, session, body.tokenTransport);
    }),
  );

  doc('post', '/auth/refresh', 'Rotate the refresh token (cookie or body) for a new access token', {
    body: refreshSchema,
    response: sessionResponse,
  });
  router.post(
    '/auth/refresh',
    limits.auth,
    route(async (req, res) => {
      const body = parseInput(refreshSchema, req.body ?? {}, 'body');
      const fromCookie = req.cookies?.[REFRESH_COOKIE] as string | undefined;
      const token = body.refreshToken ?? fromCookie;
      if (!token) throw new AppError('unauthorized', 'no refresh token (cookie or body)');
      try {
        const session = await auth.refresh(requireEm(req), token, requestMeta(req));
        sendSession(req, res, session, body.tokenTransport ?? (body.refreshToken ? 'body' : 'cookie'));
      } catch (err) {
        if (!body.refreshToken) clearCookie(req, res);
        throw err;
      }
    }),
  );

  doc('post', '/auth/logout', 'End this session (refresh cookie, body token or access token)');
  router.post(
    '/auth/logout',
    route(async (req, res) => {
      const em = requireEm(req);
      const body = parseInput(refreshSchema, req.body ?? {}, 'body');
      let sessionId: string | undefined;
      const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
      if (bearer && !bearer.startsWith('ld_')) sessionId = (await auth.authenticateAccessToken(em, bearer))?.session.id;
      await auth.logout(
        em,
        { sessionId, refreshToken: body.refreshToken ?? (req.cookies?.[REFRESH_COOKIE] as string | undefined) },
        requestMeta(req),
      );
      clearCookie(req, res);
      res.json({ ok: true });
    }),
  );

  doc('post', '/auth/logout-all', 'End every session of the signed-in user');
  router.post(
    '/auth/logout-all',
    signedIn,
    route(async (req, res) => {
      const revoked = await auth.logoutEverywhere(requireEm(req), requireUser(req), requestMeta(req));
      clearCookie(req, res);
      res.json({ ok: true, revoked });
    }),
  );

  doc('get', '/auth/me', 'The signed-in user');
  router.get(
    '/auth/me',
    signedIn,
    route(async (req, res) => {
      const user = requireUser(req);
      const client = user.client as IClient | null;
      const agency = user.agency as IAgency | null;
      res.json({
        user: userToDto(user),
        client: client
          ? { id: client.id, name: client.name, slug: client.slug, require2fa: client.config.require2fa }
          : null,
        agency: agency ? { id: agency.id, name: agency.name, slug: agency.slug } : null,
      });
    }),
  );

  doc('get', '/auth/sessions', 'Live sessions of the signed-in user');
  router.get(
    '/auth/sessions',
    signedIn,
    route(async (req, res) => {
      const em = requireEm(req);
      const user = requireUser(req);
      const current = req.principal?.familyId;
      const sessions = await auth.listSessions(em, user);
      res.json({
        data: sessions.map((s) => ({
          id: s.id,
          device: s.device,
          ip: s.ip,
          userAgent: s.userAgent,
          lastUsedAt: (s.lastUsedAt ?? s.createdAt).toISOString(),
          expiresAt: s.expiresAt.toISOString(),
          current: s.familyId === current,
        })),
      });
    }),
  );

  doc('delete', '/auth/sessions/:id', 'Revoke one of your sessions (signs that device out)');
  router.delete(
    '/auth/sessions/:id',
    signedIn,
    route(async (req, res) => {
      const id = String(req.params.id);
      if (!/^[0-9a-f-]{36}$/i.test(id)) throw AppError.notFound('session');
      await auth.revokeSession(requireEm(req), requireUser(req), id.toLowerCase(), requestMeta(req));
      res.json({ ok: true });
    }),
  );

  doc('post', '/auth/password/forgot', 'Mail a password reset link (same answer whether or not the email exists)', {
    body: forgotSchema,
    status: 202,
  });
  router.post(
    '/auth/password/forgot',
    limits.auth,
    route(async (req, res) => {
      const body = parseInput(forgotSchema, req.body, 'body');
      void auth.requestPasswordReset(requireEm(req).fork(), body.email, baseUrl(req), requestMeta(req));
      res.status(202).json({ ok: true, message: 'if an account uses this email, a reset link is on its way' });
    }),
  );

  doc('post', '/auth/password/reset', 'Choose a new password with a mailed reset token', { body: resetSchema });
  router.post(
    '/auth/password/reset',
    limits.auth,
    route(async (req, res) => {
      const body = parseInput(resetSchema, req.body, 'body');
      await auth.resetPassword(requireEm(req), body, requestMeta(req));
      clearCookie(req, res);
      res.json({ ok: true });
    }),
  );

  doc('post', '/auth/password/change', 'Change your password (other sessions end)', { body: changePasswordSchema });
  router.post(
    '/auth/password/change',
    limits.auth,
    signedIn,
    route(async (req, res) => {
      const body = parseInput(changePasswordSchema, req.body, 'body');
      await auth.changePassword(requireEm(req), requireUser(req), body, req.principal?.sessionId, requestMeta(req));
      res.json({ ok: true });
    }),
  );

  doc('post', '/auth/invitations/accept', 'Accept an invitation: set your name and password', { body: acceptSchema });
  router.post(
    '/auth/invitations/accept',
    limits.auth,
    route(async (req, res) => {
      const body = parseInput(acceptSchema, req.body, 'body');
      const user = await auth.acceptInvitation(requireEm(req), body, requestMeta(req));
      res.json({ ok: true, user: userToDto(user) });
    }),
  );

  doc('post', '/auth/email/verification', 'Mail an email verification link to the signed-in user');
  router.post(
    '/auth/email/verification',
    limits.auth,
    signedIn,
    route(async (req, res) => {
      await auth.requestEmailVerification(requireEm(req), requireUser(req), baseUrl(req), requestMeta(req));
      res.status(202).json({ ok: true });
    }),
  );

  doc('post', '/auth/email/verify', 'Confirm an email address with a mailed token', { body: verifySchema });
  router.post(
    '/auth/email/verify',
    limits.auth,
    route(async (req, res) => {
      const body = parseInput(verifySchema, req.body, 'body');
      await auth.verifyEmail(requireEm(req), body.token, requestMeta(req));
      res.json({ ok: true });
    }),
  );

  // Two-factor enrolment works signed in, or mid-login when the client requires 2FA (mfaToken).
  const enrollingUser = async (req: Request, res: Response, mfaToken: string | undefined): Promise<IUser> => {
    if (mfaToken) return auth.userForMfaToken(requireEm(req), mfaToken, 'setup');
    await runMiddleware(signedIn, req, res);
    return requireUser(req);
  };

  doc('post', '/auth/2fa/setup', 'Start TOTP enrolment: a secret and an otpauth:// URL for the QR code', {
    body: setupSchema,
  });
  router.post(
    '/auth/2fa/setup',
    limits.auth,
    route(async (req, res) => {
      const body = parseInput(setupSchema, req.body ?? {}, 'body');
      const user = await enrollingUser(req, res, body.mfaToken);
      res.json(await auth.beginTotpSetup(requireEm(req), user));
    }),
  );

  doc('post', '/auth/2fa/enable', 'Confirm TOTP with a first code; returns 10 backup codes, shown once', {
    body: enableSchema,
  });
  router.post(
    '/auth/2fa/enable',
    limits.auth,
    route(async (req, res) => {
      const body = parseInput(enableSchema, req.body, 'body');
      const user = await enrollingUser(req, res, body.mfaToken);
      const em = requireEm(req);
      const backupCodes = await auth.enableTotp(em, user, body.code, requestMeta(req));
      if (!body.mfaToken) return res.json({ ok: true, backupCodes });
      // Enrolled during sign-in: finish the sign-in too.
      const session = await auth.startSession(em, user, requestMeta(req), 'totp_enrolment');
      const send = res.json.bind(res);
      res.json = ((payload: Record<string, unknown>) => send({ ...payload, backupCodes })) as typeof res.json;
      sendSession(req, res, session, body.tokenTransport);
    }),
  );

  doc('post', '/auth/2fa/disable', 'Turn TOTP off (password and a current code)', { body: disableSchema });
  router.post(
    '/auth/2fa/disable',
    limits.auth,
    signedIn,
    route(async (req, res) => {
      const body = parseInput(disableSchema, req.body, 'body');
      await auth.disableTotp(requireEm(req), requireUser(req), body, requestMeta(req));
      res.json({ ok: true });
    }),
  );

  doc('post', '/auth/2fa/backup-codes', 'Replace the backup codes (a current code); returns the new ones once', {
    body: codeSchema,
  });
  router.post(
    '/auth/2fa/backup-codes',
    limits.auth,
    signedIn,
    route(async (req, res) => {
      const body = parseInput(codeSchema, req.body, 'body');
      const backupCodes = await auth.regenerateBackupCodes(
        requireEm(req),
        requireUser(req),
        body.code,
        requestMeta(req),
      );
      res.json({ ok: true, backupCodes });
    }),
  );

  return router;
}
