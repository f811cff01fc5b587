import { hkdfSync, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../config/config.js';
import type { Logger } from '../logger.js';

/**
 * The server secret every auth key is derived from. Production must set
 * APP_SECRET. In development and tests an unset secret is generated once and
 * kept in DATA_DIR/app-secret (mode 0600): a secret that changed on every
 * restart would log every staff member out and make stored TOTP secrets
 * unreadable.
 */
export function resolveAppSecret(config: Config, logger: Logger): string {
  if (config.appSecret) return config.appSecret;
  if (config.isProduction) {
    throw new Error('APP_SECRET is required in production (32+ random characters); see .env.example');
  }
  const file = path.join(config.dataDir, 'app-secret');
  try {
    return readSecret(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  fs.mkdirSync(config.dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  try {
    // `wx`: if another process created it first, use theirs.
    fs.writeFileSync(file, secret, { flag: 'wx', mode: 0o600 });
    logger.warn({ file }, 'APP_SECRET is not set: generated a development secret and stored it under DATA_DIR');
    return secret;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return readSecret(file);
    throw err;
  }
}

function readSecret(file: string): string {
  const secret = fs.readFileSync(file, 'utf8').trim();
  if (secret.length < 32) throw new Error(`${file} holds a secret shorter than 32 characters; delete it to regenerate`);
  return secret;
}

/** One independent 256-bit key per purpose, so no key is ever used for two things. */
export function deriveKey(secret: string, purpose: string): Uint8Array {
  return new Uint8Array(hkdfSync('sha256', secret, 'leaddesk', purpose, 32));
}
