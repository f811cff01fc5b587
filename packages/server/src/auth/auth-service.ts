import { randomUUID } from 'node:crypto';
import type { EffectiveBranding, Role } from '@leaddesk/shared';
import type { EntityManager } from '@mikro-orm/postgresql';
import { generateSecret as generateTotpSecret, generateURI, verify as verifyTotp } from 'otplib';
import { type RequestMeta, recordAudit } from '../audit/audit-log.js';
import type { BrandingService } from '../branding/branding-service.js';
import type { Config } from '../config/config.js';
import {
  AuthToken,
  type AuthTokenPurpose,
  Client,
  type IAgency,
  type IClient,
  type IUser,
  type IUserSession,
  User,
  UserSession,
} from '../db/entities/index.js';
import type { EmailSender } from '../email/email-sender.js';
import { AppError } from '../errors/app-error.js';
import type { Logger } from '../logger.js';
import { type AccessClaims, type MfaPurpose, TokenSigner } from './access-tokens.js';
import { deriveKey, resolveAppSecret } from './app-secret.js';
import { accountLink, invitationEmail, passwordResetEmail, verificationEmail } from './auth-emails.js';
import { generateBackupCode, generateOpaqueToken, normaliseBackupCode, sha256Hex } from './opaque-tokens.js';
import { checkPasswordStrength, dummyPasswordHash, hashPassword, verifyPassword } from './passwords.js';
import { SecretBox } from './secret-box.js';

/**
 * Staff authentication: login with lockout, TOTP second factor, rotating
 * refresh-token sessions, and the mailed single-use tokens (invitation, email
 * verification, password reset). Express- and socket-agnostic: routes and the
 * staff socket call it. The clock is injected so tests can move time.
 */

export const REFRESH_TOKEN_PREFIX = 'ld_rt_';
export const BACKUP_CODE_COUNT = 10;
/** The one answer to every refused login, whatever the reason, so it reveals nothing. */
export const INVALID_CREDENTIALS = 'invalid email or password';
const NIL_UUID = '00000000-0000-0000-0000-000000000000';

export interface SessionMeta extends RequestMeta {
  device: string | null;
}

export interface IssuedSession {
  user: IUser;
  sessionId: string;
  accessToken: string;
  accessTokenExpiresIn: number;
  refreshToken: string;
  refreshTokenExpiresAt: Date;
}

export type LoginResult =
  | { status: 'authenticated'; session: IssuedSession }
  | { status: 'mfa_required' | 'mfa_setup_required'; mfaToken: string; user: IUser };

export interface AuthenticatedUser {
  user: IUser;
  session: IUserSession;
}

export interface AuthServiceOptions {
  config: Config;
  logger: Logger;
  email: EmailSender;
  /** @default () => new Date() */
  now?: () => Date;
  /** White-label: account emails and the authenticator's issuer in the user's brand (docs/white-label.md). */
  branding?: BrandingService;
}

export class AuthService {
  readonly now: () => Date;
  readonly signer: TokenSigner;
  private readonly box: SecretBox;
  private readonly config: Config;
  private readonly logger: Logger;
  readonly email: EmailSender;
  private readonly branding: BrandingService | undefined;

  constructor(options: AuthServiceOptions) {
    this.config = options.config;
    this.logger = options.logger;
    this.email = options.email;
    this.now = options.now ?? (() => new Date());
    this.branding = options.branding;
    const secret = resolveAppSecret(options.config, options.logger);
    this.signer = new TokenSigner(
      deriveKey(secret, 'jwt-access-v1'),
      deriveKey(secret, 'jwt-mfa-v1'),
      options.config.auth.accessTtlSeconds,
      this.now,
    );
    this.box = new SecretBox(deriveKey(secret, 'totp-secret-v1'));
    // Warm the dummy hash so the first unknown-email login is not faster than later ones.
    void dummyPasswordHash();
  }

  // ---------------------------------------------------------------- login

  async login(em: EntityManager, input: { email: string; password: string }, meta: SessionMeta): Promise<LoginResult> {
    const email = normaliseEmail(input.email);
    const user = await em.findOne(User, { email }, { populate: ['client'] });
    const now = this.now();
    if (!user?.passwordHash || user.disabledAt) {
      // Same work as for a real account, so timing does not tell them apart.
      await verifyPassword(await dummyPasswordHash(), input.password);
      // ...and the same database round trip as counting a failure (it matches no row).
      await em
        .getConnection()
        .execute(
          'update users set failed_login_count = failed_login_count + 1 where id = ? returning failed_login_count',
          [NIL_UUID],
        );
      await this.audit(em, 'auth.login_failed', null, meta, { actor: 'anonymous', metadata: { reason: 'unknown' } });
      throw new AppError('unauthorized', INVALID_CREDENTIALS);
    }
    const passwordOk = await verifyPassword(user.passwordHash, input.password);
    if (user.lockedUntil && user.lockedUntil > now) {
      await this.audit(em, 'auth.login_refused_locked', user, meta);
      throw new AppError('unauthorized', INVALID_CREDENTIALS);
    }
    if (!passwordOk) {
      await this.recordFailure(em, user, meta, 'password');
      throw new AppError('unauthorized', INVALID_CREDENTIALS);
    }
    await em.nativeUpdate(User, { id: user.id }, { failedLoginCount: 0, lockedUntil: null });

    if (user.totpEnabled) {
      return {
        status: 'mfa_required',
        mfaToken: await this.signer.signMfa({ userId: user.id, purpose: 'verify' }),
        user,
      };
    }
    if (this.requires2fa(user)) {
      return {
        status: 'mfa_setup_required',
        mfaToken: await this.signer.signMfa({ userId: user.id, purpose: 'setup' }),
        user,
      };
    }
    return { status: 'authenticated', session: await this.startSession(em, user, meta, 'password') };
  }

  /** Second step of a login: a TOTP code or a backup code. */
  async completeMfa(
    em: EntityManager,
    input: { mfaToken: string; code?: string; backupCode?: string },
    meta: SessionMeta,
  ): Promise<IssuedSession> {
    const user = await this.userForMfaToken(em, input.mfaToken, 'verify');
    const now = this.now();
    if (user.lockedUntil && user.lockedUntil > now) {
      await this.audit(em, 'auth.login_refused_locked', user, meta);
      throw new AppError('unauthorized', 'invalid code');
    }
    let method: string;
    if (input.code) {
      if (!(await this.acceptTotp(em, user, input.code))) {
        await this.recordFailure(em, user, meta, 'totp');
        throw new AppError('unauthorized', 'invalid code');
      }
      method = 'totp';
    } else if (input.backupCode) {
      if (!(await this.consumeBackupCode(em, user, input.backupCode))) {
        await this.recordFailure(em, user, meta, 'backup_code');
        throw new AppError('unauthorized', 'invalid code');
      }
      const remaining = await this.backupCodesLeft(em, user.id);
      await this.audit(em, 'auth.backup_code_used', user, meta, { metadata: { remaining } });
      method = 'backup_code';
    } else {
      throw new AppError('validation_failed', 'send either code (from the authenticator app) or backupCode');
    }
    await em.nativeUpdate(User, { id: user.id }, { failedLoginCount: 0, lockedUntil: null });
    return this.startSession(em, user, meta, method);
  }

  /** A user whose password was accepted; the mfa token proves it for 5 minutes. */
  async userForMfaToken(em: EntityManager, mfaToken: string, purpose: MfaPurpose): Promise<IUser> {
    const claims = await this.signer.verifyMfa(mfaToken);
    if (!claims || claims.purpose !== purpose) {
      throw new AppError('unauthorized', 'the sign-in step expired or is invalid; sign in again');
    }
    const user = await em.findOne(User, { id: claims.userId }, { populate: ['client'] });
    if (!user || user.disabledAt || !user.passwordHash) {
      throw new AppError('unauthorized', 'the sign-in step expired or is invalid; sign in again');
    }
    return user;
  }

  requires2fa(user: IUser): boolean {
    return user.role !== 'super_admin' && !!user.client && (user.client as IClient).config?.require2fa === true;
  }

  private async recordFailure(em: EntityManager, user: IUser, meta: SessionMeta, reason: string): Promise<void> {
    const now = this.now();
    // Atomic: parallel guesses cannot slip past the counter.
    const rows = await em
      .getConnection()
      .execute<{ failed_login_count: number }[]>(
        'update users set failed_login_count = failed_login_count + 1 where id = ? returning failed_login_count',
        [user.id],
      );
    const count = rows[0]?.failed_login_count ?? 0;
    await this.audit(em, 'auth.login_failed', user, meta, { metadata: { reason } });
    if (count >= this.config.auth.lockoutAttempts) {
      const until = new Date(now.getTime() + this.config.auth.lockoutMinutes * 60_000);
      await em.nativeUpdate(User, { id: user.id }, { failedLoginCount: 0, lockedUntil: until });
      await this.audit(em, 'auth.account_locked', user, meta, { metadata: { until: until.toISOString() } });
      this.logger.warn({ userId: user.id, until }, 'account locked after repeated failed sign-ins');
    }
  }

  // ---------------------------------------------------------------- sessions

  async startSession(em: EntityManager, user: IUser, meta: SessionMeta, method: string): Promise<IssuedSession> {
    const issued = await this.issueSession(em, user, meta, randomUUID());
    await em.nativeUpdate(User, { id: user.id }, { lastLoginAt: this.now() });
    await this.audit(em, 'auth.login', user, meta, { metadata: { method, sessionId: issued.sessionId } });
    return issued;
  }

  private async issueSession(
    em: EntityManager,
    user: IUser,
    meta: SessionMeta,
    familyId: string,
  ): Promise<IssuedSession> {
    const now = this.now();
    const refreshToken = generateOpaqueToken(REFRESH_TOKEN_PREFIX);
    const expiresAt = new Date(now.getTime() + this.config.auth.refreshTtlDays * 86_400_000);
    const id = randomUUID();
    await em.insert(UserSession, {
      id,
      user: user.id,
      familyId,
      refreshTokenHash: sha256Hex(refreshToken),
      device: meta.device?.slice(0, 200) ?? null,
      ip: meta.ip?.slice(0, 64) ?? null,
      userAgent: meta.userAgent?.slice(0, 500) ?? null,
      createdAt: now,
      lastUsedAt: now,
      expiresAt,
    });
    const clientId = user.client ? (user.client as IClient).id : null;
    const accessToken = await this.signer.signAccess({ userId: user.id, sessionId: id, clientId, role: user.role });
    return {
      user,
      sessionId: id,
      accessToken,
      accessTokenExpiresIn: this.signer.accessTtl,
      refreshToken,
      refreshTokenExpiresAt: expiresAt,
    };
  }

  /**
   * Exchanges a refresh token for a new pair. The old token is spent; presenting
   * a spent token again means it was stolen (or replayed), so the whole family
   * is revoked and every device of that login must sign in again.
   */
  async refresh(em: EntityManager, refreshToken: string, meta: SessionMeta): Promise<IssuedSession> {
    const refused = () => new AppError('unauthorized', 'invalid or expired refresh token; sign in again');
    if (!refreshToken.startsWith(REFRESH_TOKEN_PREFIX)) throw refused();
    const session = await em.findOne(
      UserSession,
      { refreshTokenHash: sha256Hex(refreshToken) },
      { populate: ['user', 'user.client', 'user.agency'] },
    );
    if (!session || session.revokedAt) throw refused();
    const user = session.user as IUser;
    if (session.rotatedAt) {
      await this.revokeFamily(em, session.familyId);
      await this.audit(em, 'auth.refresh_reuse_detected', user, meta, { metadata: { familyId: session.familyId } });
      this.logger.warn({ userId: user.id, familyId: session.familyId }, 'refresh token reuse: session family revoked');
      throw refused();
    }
    const now = this.now();
    if (session.expiresAt <= now || user.disabledAt) throw refused();
    if (this.requires2fa(user) && !user.totpEnabled) {
      await this.revokeFamily(em, session.familyId);
      throw new AppError('unauthorized', 'your organisation requires two-factor authentication; sign in again');
    }
    // Only one of two racing refreshes wins; the loser is treated as reuse.
    const won = await em.nativeUpdate(
      UserSession,
      { id: session.id, rotatedAt: null, revokedAt: null },
      { rotatedAt: now, lastUsedAt: now },
    );
    if (won !== 1) {
      await this.revokeFamily(em, session.familyId);
      await this.audit(em, 'auth.refresh_reuse_detected', user, meta, { metadata: { familyId: session.familyId } });
      throw refused();
    }
    const issued = await this.issueSession(
      em,
      user,
      { ...meta, device: meta.device ?? session.device ?? null },
      session.familyId,
    );
    await this.audit(em, 'auth.token_refreshed', user, meta, { metadata: { sessionId: issued.sessionId } });
    return issued;
  }

  async revokeFamily(em: EntityManager, familyId: string): Promise<number> {
    return em.nativeUpdate(UserSession, { familyId, revokedAt: null }, { revokedAt: this.now() });
  }

  /** Ends the session a refresh token (or the calling access token) belongs to. */
  async logout(
    em: EntityManager,
    input: { refreshToken?: string; sessionId?: string },
    meta: SessionMeta,
  ): Promise<boolean> {
    let session: IUserSession | null = null;
    if (input.sessionId) session = await em.findOne(UserSession, { id: input.sessionId }, { populate: ['user'] });
    else if (input.refreshToken?.startsWith(REFRESH_TOKEN_PREFIX)) {
      session = await em.findOne(
        UserSession,
        { refreshTokenHash: sha256Hex(input.refreshToken) },
        { populate: ['user'] },
      );
    }
    if (!session) return false;
    await this.revokeFamily(em, session.familyId);
    await this.audit(em, 'auth.logout', session.user as IUser, meta, { metadata: { sessionId: session.id } });
    return true;
  }

  async logoutEverywhere(em: EntityManager, user: IUser, meta: SessionMeta): Promise<number> {
    const revoked = await em.nativeUpdate(UserSession, { user: user.id, revokedAt: null }, { revokedAt: this.now() });
    await this.audit(em, 'auth.logout_all', user, meta, { metadata: { revoked } });
    return revoked;
  }

  /** The live sessions of a user: the current head of each unrevoked, unexpired family. */
  async listSessions(em: EntityManager, user: IUser): Promise<IUserSession[]> {
    return em.find(
      UserSession,
      { user: user.id, rotatedAt: null, revokedAt: null, expiresAt: { $gt: this.now() } },
      { orderBy: { lastUsedAt: 'desc' } },
    );
  }

  async revokeSession(em: EntityManager, user: IUser, sessionId: string, meta: SessionMeta): Promise<void> {
    const session = await em.findOne(UserSession, { id: sessionId, user: user.id });
    if (!session) throw AppError.notFound('session');
    await this.revokeFamily(em, session.familyId);
    await this.audit(em, 'auth.session_revoked', user, meta, { target: sessionId });
  }

  /**
   * Checks an access token and loads who it speaks for. The session must still
   * be live (logout applies at once) and the user enabled; the role comes from
   * the database, not the token, so a demotion applies at once too.
   */
  async authenticateAccessToken(em: EntityManager, token: string): Promise<AuthenticatedUser | null> {
    const claims: AccessClaims | null = await this.signer.verifyAccess(token);
    if (!claims) return null;
    const session = await em.findOne(
      UserSession,
      { id: claims.sessionId },
      { populate: ['user', 'user.client', 'user.agency'] },
    );
    if (!session || session.revokedAt) return null;
    const user = session.user as IUser;
    if (user.id !== claims.userId || user.disabledAt) return null;
    return { user, session };
  }

  // ---------------------------------------------------------------- TOTP

  async beginTotpSetup(em: EntityManager, user: IUser): Promise<{ secret: string; otpauthUrl: string }> {
    if (user.totpEnabled) throw new AppError('conflict', 'two-factor authentication is already enabled');
    const secret = generateTotpSecret();
    await em.nativeUpdate(User, { id: user.id }, { totpSecret: this.box.seal(secret), totpLastStep: null });
    const issuer = (await this.brandOf(user)).productName;
    return { secret, otpauthUrl: generateURI({ issuer, label: user.email, secret }) };
  }

  /** Confirms enrolment with a first code; returns the backup codes, shown once. */
  async enableTotp(em: EntityManager, user: IUser, code: string, meta: SessionMeta): Promise<string[]> {
    if (user.totpEnabled) throw new AppError('conflict', 'two-factor authentication is already enabled');
    const fresh = await em.findOneOrFail(User, { id: user.id }, { refresh: true });
    if (!fresh.totpSecret) throw new AppError('bad_request', 'start the setup first (POST /auth/2fa/setup)');
    if (!(await this.acceptTotp(em, fresh, code))) {
      throw new AppError('validation_failed', 'the code does not match; check the time on your device and try again');
    }
    const codes = await this.replaceBackupCodes(em, user.id, { totpEnabled: true });
    user.totpEnabled = true;
    await this.audit(em, 'auth.totp_enabled', user, meta);
    return codes;
  }

  async disableTotp(em: EntityManager, user: IUser, input: { password: string; code: string }, meta: SessionMeta) {
    if (!user.totpEnabled) throw new AppError('conflict', 'two-factor authentication is not enabled');
    if (this.requires2fa(user)) {
      throw new AppError('forbidden', 'your organisation requires two-factor authentication');
    }
    await this.assertPasswordAndCode(em, user, input, meta);
    await em.nativeUpdate(
      User,
      { id: user.id },
      { totpEnabled: false, totpSecret: null, totpLastStep: null, backupCodeHashes: [] },
    );
    await this.audit(em, 'auth.totp_disabled', user, meta);
  }

  async regenerateBackupCodes(em: EntityManager, user: IUser, code: string, meta: SessionMeta): Promise<string[]> {
    if (!user.totpEnabled) throw new AppError('conflict', 'two-factor authentication is not enabled');
    const fresh = await em.findOneOrFail(User, { id: user.id }, { refresh: true });
    if (!(await this.acceptTotp(em, fresh, code))) {
      await this.recordFailure(em, user, meta, 'totp');
      throw new AppError('unauthorized', 'invalid code');
    }
    const codes = await this.replaceBackupCodes(em, user.id, {});
    await this.audit(em, 'auth.backup_codes_regenerated', user, meta);
    return codes;
  }

  private async assertPasswordAndCode(
    em: EntityManager,
    user: IUser,
    input: { password: string; code: string },
    meta: SessionMeta,
  ) {
    const fresh = await em.findOneOrFail(User, { id: user.id }, { refresh: true });
    const ok = !!fresh.passwordHash && (await verifyPassword(fresh.passwordHash, input.password));
    if (!ok || !(await this.acceptTotp(em, fresh, input.code))) {
      await this.recordFailure(em, user, meta, 'reauth');
      throw new AppError('unauthorized', 'invalid password or code');
    }
  }

  private async replaceBackupCodes(em: EntityManager, userId: string, extra: Partial<IUser>): Promise<string[]> {
    const codes = Array.from({ length: BACKUP_CODE_COUNT }, generateBackupCode);
    await em.nativeUpdate(User, { id: userId }, { ...extra, backupCodeHashes: codes.map(sha256Hex) });
    return codes;
  }

  /** A valid code for the current time step (±1), never accepted twice. */
  private async acceptTotp(em: EntityManager, user: IUser, code: string): Promise<boolean> {
    const token = code.replace(/\s+/g, '');
    if (!user.totpSecret || !/^\d{6}$/.test(token)) return false;
    let secret: string;
    try {
      secret = this.box.open(user.totpSecret);
    } catch {
      this.logger.error({ userId: user.id }, 'stored TOTP secret cannot be decrypted (was APP_SECRET changed?)');
      return false;
    }
    const epoch = Math.floor(this.now().getTime() / 1000);
    const result = await verifyTotp({ secret, token, epoch, epochTolerance: 30 });
    if (!result.valid) return false;
    const timeStep = Math.floor(epoch / 30) + result.delta;
    // Conditional update: the same code (or an older one) cannot be replayed, even concurrently.
    const won = await em
      .getConnection()
      .execute(
        'update users set totp_last_step = ? where id = ? and (totp_last_step is null or totp_last_step < ?)',
        [timeStep, user.id, timeStep],
        'run',
      );
    return (won as { affectedRows?: number }).affectedRows === 1;
  }

  private async consumeBackupCode(em: EntityManager, user: IUser, code: string): Promise<boolean> {
    const hash = sha256Hex(normaliseBackupCode(code));
    const res = await em
      .getConnection()
      .execute(
        'update users set backup_code_hashes = backup_code_hashes - ?::text where id = ? and backup_code_hashes @> jsonb_build_array(?::text)',
        [hash, user.id, hash],
        'run',
      );
    return (res as { affectedRows?: number }).affectedRows === 1;
  }

  private async backupCodesLeft(em: EntityManager, userId: string): Promise<number> {
    const fresh = await em.fork().findOneOrFail(User, { id: userId });
    return fresh.backupCodeHashes.length;
  }

  // ---------------------------------------------------------------- accounts

  assertStrongPassword(password: string, userInputs: string[]): void {
    const strength = checkPasswordStrength(password, this.config.auth.passwordMinScore, userInputs);
    if (!strength.ok) {
      throw new AppError('validation_failed', strength.reason, [{ path: 'password', message: strength.reason }]);
    }
  }

  /**
   * Invites a staff member to a client, or to an agency (issue 18: agency staff get the agency, never a
   * client): a pending account and a mailed single-use link.
   */
  async inviteUser(
    em: EntityManager,
    input: {
      client?: IClient;
      agency?: IAgency;
      email: string;
      name?: string;
      role: Role;
      invitedBy: string | null;
      baseUrl: string;
    },
    meta: SessionMeta,
    actor: { kind: 'user' | 'api_key'; userId?: string },
    /** Runs in the transaction that creates a new member, before it (the plan's seat check takes its lock there). */
    beforeNewMember?: (tx: EntityManager) => Promise<void>,
  ): Promise<IUser> {
    if (input.role === 'super_admin') throw new AppError('forbidden', 'super admins cannot be invited to a client');
    const scope = input.agency
      ? { client: null, agency: input.agency.id, name: input.agency.name }
      : input.client
        ? { client: input.client.id, agency: null, name: input.client.name }
        : null;
    if (!scope || (input.agency && input.client)) throw new Error('inviteUser: a client or an agency, not both');
    const email = normaliseEmail(input.email);
    const user = await em.transactional(async (tx) => {
      const existing = await tx.findOne(User, { email });
      const sameScope =
        existing &&
        (scope.agency
          ? agencyIdOf(existing) === scope.agency
          : (existing.client as IClient | null)?.id === scope.client);
      if (existing && !(existing.passwordHash === null && sameScope)) {
        throw new AppError('conflict', 'a user with this email already exists');
      }
      if (existing) {
        // A pending invitation sent again: the same member, with what this one says.
        existing.role = input.role;
        if (input.name) existing.name = input.name.trim();
        return existing;
      }
      await beforeNewMember?.(tx);
      return tx.create(User, {
        id: randomUUID(),
        client: scope.client,
        agency: scope.agency,
        email,
        name: input.name?.trim() || email.split('@')[0]!,
        role: input.role,
        passwordHash: null,
        backupCodeHashes: [],
        createdAt: this.now(),
      });
    });
    const token = await this.issueAccountToken(
      em,
      user.id,
      'invite',
      this.config.auth.invitationTtlHours * 3600,
      input.invitedBy,
    );
    const owner = { clientId: scope.client, agencyId: scope.agency };
    await this.email.send(
      invitationEmail(
        email,
        scope.name,
        accountLink(await this.linkBase(owner, input.baseUrl), 'accept-invitation', token),
        this.config.auth.invitationTtlHours,
        await this.brandOf(user),
      ),
    );
    await recordAudit(
      em,
      {
        action: 'users.invited',
        actor: actor.kind,
        clientId: scope.client,
        userId: actor.userId ?? null,
        target: user.id,
        metadata: scope.agency ? { email, role: input.role, agencyId: scope.agency } : { email, role: input.role },
        ip: meta.ip,
        userAgent: meta.userAgent,
      },
      this.now(),
    );
    return user;
  }

  /**
   * The first member of a business that signed itself up: its admin, with
   * the password it chose (checked like any other). The email is verified
   * later through the link sent to it. Written with `em` only, so a caller's
   * transaction holds the client and its owner together; the caller records
   * the audit entry once that has committed.
   */
  async createOwner(
    em: EntityManager,
    input: { client: IClient; email: string; name: string; password: string },
  ): Promise<IUser> {
    const email = normaliseEmail(input.email);
    this.assertStrongPassword(input.password, [email, input.name, input.client.name]);
    const user = em.create(User, {
      id: randomUUID(),
      client: input.client.id,
      email,
      name: input.name.trim(),
      role: 'admin',
      passwordHash: await hashPassword(input.password),
      backupCodeHashes: [],
      createdAt: this.now(),
    });
    await em.flush();
    return user;
  }

  async acceptInvitation(
    em: EntityManager,
    input: { token: string; name?: string; password: string },
    meta: SessionMeta,
  ): Promise<IUser> {
    const user = await this.consumeAccountToken(em, input.token, 'invite', (u) =>
      this.assertStrongPassword(input.password, [u.email, input.name ?? u.name]),
    );
    user.passwordHash = await hashPassword(input.password);
    if (input.name?.trim()) user.name = input.name.trim();
    user.emailVerifiedAt = this.now();
    await em.flush();
    await this.audit(em, 'auth.invitation_accepted', user, meta);
    return user;
  }

  /**
   * Always answers the same way; the lookup and mail happen after the answer,
   * so neither the response nor its timing tells whether the email exists.
   */
  requestPasswordReset(em: EntityManager, rawEmail: string, baseUrl: string, meta: SessionMeta): Promise<void> {
    const email = normaliseEmail(rawEmail);
    const work = (async () => {
      const user = await em.findOne(User, { email });
      if (!user || user.disabledAt || !user.passwordHash) return;
      const ttl = this.config.auth.passwordResetTtlMinutes;
      const token = await this.issueAccountToken(em, user.id, 'reset_password', ttl * 60, null);
      const link = accountLink(await this.linkBase(scopeOf(user), baseUrl), 'reset-password', token);
      await this.email.send(passwordResetEmail(email, link, ttl, await this.brandOf(user)));
      await this.audit(em, 'auth.password_reset_requested', user, meta);
    })().catch((err) => this.logger.error({ err: { message: (err as Error).message } }, 'password reset email failed'));
    return work;
  }

  async resetPassword(em: EntityManager, input: { token: string; password: string }, meta: SessionMeta): Promise<void> {
    const user = await this.consumeAccountToken(em, input.token, 'reset_password', (u) =>
      this.assertStrongPassword(input.password, [u.email, u.name]),
    );
    user.passwordHash = await hashPassword(input.password);
    user.failedLoginCount = 0;
    user.lockedUntil = null;
    user.emailVerifiedAt ??= this.now();
    await em.flush();
    // A reset means the old password may be known to someone else: end every session.
    await em.nativeUpdate(UserSession, { user: user.id, revokedAt: null }, { revokedAt: this.now() });
    await this.audit(em, 'auth.password_reset', user, meta);
  }

  async changePassword(
    em: EntityManager,
    user: IUser,
    input: { currentPassword: string; newPassword: string },
    keepSessionId: string | undefined,
    meta: SessionMeta,
  ): Promise<void> {
    const fresh = await em.findOneOrFail(User, { id: user.id }, { refresh: true });
    if (!fresh.passwordHash || !(await verifyPassword(fresh.passwordHash, input.currentPassword))) {
      await this.recordFailure(em, user, meta, 'change_password');
      throw new AppError('unauthorized', 'the current password is wrong');
    }
    this.assertStrongPassword(input.newPassword, [user.email, user.name]);
    fresh.passwordHash = await hashPassword(input.newPassword);
    await em.flush();
    const keep = keepSessionId ? await em.findOne(UserSession, { id: keepSessionId }) : null;
    await em.nativeUpdate(
      UserSession,
      { user: user.id, revokedAt: null, ...(keep ? { familyId: { $ne: keep.familyId } } : {}) },
      { revokedAt: this.now() },
    );
    await this.audit(em, 'auth.password_changed', user, meta);
  }

  async requestEmailVerification(em: EntityManager, user: IUser, baseUrl: string, meta: SessionMeta): Promise<void> {
    if (user.emailVerifiedAt) throw new AppError('conflict', 'this email address is already verified');
    const hours = this.config.auth.emailVerificationTtlHours;
    const token = await this.issueAccountToken(em, user.id, 'verify_email', hours * 3600, user.id);
    const link = accountLink(await this.linkBase(scopeOf(user), baseUrl), 'verify-email', token);
    await this.email.send(verificationEmail(user.email, link, hours, await this.brandOf(user)));
    await this.audit(em, 'auth.email_verification_requested', user, meta);
  }

  async verifyEmail(em: EntityManager, token: string, meta: SessionMeta): Promise<void> {
    const user = await this.consumeAccountToken(em, token, 'verify_email');
    user.emailVerifiedAt = this.now();
    await em.flush();
    await this.audit(em, 'auth.email_verified', user, meta);
  }

  /** A new single-use token; earlier unused ones of the same purpose stop working. */
  private async issueAccountToken(
    em: EntityManager,
    userId: string,
    purpose: AuthTokenPurpose,
    ttlSeconds: number,
    createdBy: string | null,
  ): Promise<string> {
    const now = this.now();
    const token = generateOpaqueToken(
      `ld_${purpose === 'invite' ? 'inv' : purpose === 'verify_email' ? 'ver' : 'rst'}_`,
    );
    await em.nativeDelete(AuthToken, { user: userId, purpose, usedAt: null });
    await em.insert(AuthToken, {
      id: randomUUID(),
      user: userId,
      purpose,
      tokenHash: sha256Hex(token),
      expiresAt: new Date(now.getTime() + ttlSeconds * 1000),
      usedAt: null,
      createdBy,
      createdAt: now,
    });
    return token;
  }

  /**
   * Spends a mailed token exactly once. `check` runs before spending (e.g. the
   * new password's strength), so a refused password does not burn the link.
   */
  private async consumeAccountToken(
    em: EntityManager,
    token: string,
    purpose: AuthTokenPurpose,
    check?: (user: IUser) => void,
  ): Promise<IUser> {
    const refused = () => new AppError('bad_request', 'this link is invalid, has expired or was already used');
    const now = this.now();
    const tokenHash = sha256Hex(token);
    const row = await em.findOne(AuthToken, { tokenHash, purpose }, { populate: ['user'] });
    if (!row || row.usedAt || row.expiresAt <= now || (row.user as IUser).disabledAt) throw refused();
    check?.(row.user as IUser);
    const won = await em.nativeUpdate(
      AuthToken,
      { id: row.id, usedAt: null, expiresAt: { $gt: now } },
      { usedAt: now },
    );
    if (won !== 1) throw refused();
    return row.user as IUser;
  }

  // ---------------------------------------------------------------- audit

  async audit(
    em: EntityManager,
    action: string,
    user: IUser | null,
    meta: RequestMeta,
    extra: { actor?: 'user' | 'anonymous' | 'system'; target?: string; metadata?: Record<string, unknown> } = {},
  ): Promise<void> {
    const clientId = user?.client ? ((user.client as IClient).id ?? (user.client as unknown as string)) : null;
    // Agency staff have no client to file their account's entries under: the agency is named instead.
    const agencyId = user ? agencyIdOf(user) : null;
    const metadata = agencyId ? { ...extra.metadata, agencyId } : extra.metadata;
    await recordAudit(
      em,
      {
        action,
        actor: extra.actor ?? (user ? 'user' : 'anonymous'),
        clientId,
        userId: user?.id ?? null,
        target: extra.target ?? user?.id ?? null,
        metadata,
        ip: meta.ip,
        userAgent: meta.userAgent,
      },
      this.now(),
    );
  }

  /** The user's brand (their client's, else their agency's, else the deployment's). */
  private async brandOf(user: IUser): Promise<EffectiveBranding> {
    return this.branding ? this.branding.forUser(scopeOf(user)) : this.config.branding.defaults;
  }

  /** The white-labelled dashboard's origin for the user's links, else the deployment's. */
  private async linkBase(
    owner: { clientId: string | null; agencyId: string | null },
    fallback: string,
  ): Promise<string> {
    return (await this.branding?.linkOrigin(owner)) ?? fallback;
  }

  /** Resolves which client a user acts for (super admins and agency staff choose one per request). */
  async clientFor(em: EntityManager, user: IUser, requestedClientId: string | undefined): Promise<IClient | null> {
    const agencyId = agencyIdOf(user);
    if (user.role === 'super_admin' || agencyId) {
      if (!requestedClientId) return null;
      const id = /^[0-9a-f-]{36}$/i.test(requestedClientId) ? requestedClientId.toLowerCase() : null;
      // Agency staff choose among their agency's clients only; another agency's client is "not found", like
      // any other tenant's record (the tenancy rule), never "forbidden", which would confirm it exists.
      const client = id ? await em.findOne(Client, agencyId ? { id, agency: agencyId } : { id }) : null;
      if (!client) throw AppError.notFound('client');
      // A client that requires two-factor sign-in requires it of the agency staff who act for it too; they
      // signed in with no client, so the login could not ask for it (requires2fa) and the selection does.
      if (agencyId && client.config?.require2fa === true && !user.totpEnabled) {
        throw new AppError('forbidden', 'this client requires two-factor sign-in: turn it on in your account first');
      }
      return client;
    }
    const own = (user.client as IClient | null) ?? null;
    if (requestedClientId && own?.id !== requestedClientId.toLowerCase()) {
      throw new AppError('forbidden', 'staff act only for their own client');
    }
    return own;
  }
}

/** The agency a staff member belongs to (agency staff have no client of their own), or null. */
/** The client or agency a staff account belongs to (neither: a super admin). */
export function scopeOf(user: IUser): { clientId: string | null; agencyId: string | null } {
  const client = user.client as { id?: string } | string | null | undefined;
  const clientId = !client ? null : typeof client === 'string' ? client : (client.id ?? null);
  return { clientId, agencyId: agencyIdOf(user) };
}

export function agencyIdOf(user: IUser): string | null {
  const agency = user.agency as { id?: string } | string | null | undefined;
  if (!agency) return null;
  return typeof agency === 'string' ? agency : (agency.id ?? null);
}

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** The account as API responses show it: never a hash, secret or code. */
export function userToDto(user: IUser) {
  return {
    id: user.id,
    clientId: user.client ? ((user.client as IClient).id ?? null) : null,
    agencyId: agencyIdOf(user),
    email: user.email,
    name: user.name,
    role: user.role,
    status: user.disabledAt ? 'disabled' : user.passwordHash ? 'active' : 'invited',
    emailVerified: !!user.emailVerifiedAt,
    twoFactorEnabled: user.totpEnabled,
    lastLoginAt: user.lastLoginAt?.toISOString() ?? null,
    createdAt: user.createdAt.toISOString(),
  };
}
