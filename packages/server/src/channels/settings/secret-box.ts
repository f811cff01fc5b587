import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../errors/app-error.js';

/**
 * AES-256-GCM for tenant credentials at rest (WhatsApp access tokens, Twilio
 * auth tokens, app secrets). The key is derived with HKDF from APP_SECRET; in
 * development and tests without APP_SECRET, from a random per-install key
 * file under DATA_DIR (created once, mode 0600), so a fresh checkout works
 * without configuration and a copied database alone cannot be decrypted.
 *
 * Sealed format: `v1.<iv>.<tag>.<ciphertext>` (base64url), authenticated, so
 * a tampered value fails to open instead of decrypting to garbage.
 */
export class SecretBox {
  private constructor(private readonly key: Buffer) {}

  static fromAppSecret(appSecret: string): SecretBox {
    return new SecretBox(derive(Buffer.from(appSecret, 'utf8')));
  }

  /** Reads (or creates) `<dataDir>/channel-secrets.key`. */
  static fromKeyFile(dataDir: string): SecretBox {
    const file = path.join(dataDir, 'channel-secrets.key');
    fs.mkdirSync(dataDir, { recursive: true });
    try {
      fs.writeFileSync(file, randomBytes(32).toString('base64'), { flag: 'wx', mode: 0o600 });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    return new SecretBox(derive(Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64')));
  }

  static create(options: { appSecret?: string; dataDir: string; production: boolean }): SecretBox | null {
    if (options.appSecret) return SecretBox.fromAppSecret(options.appSecret);
    // Production must not depend on a file next to the data: no key, no credentials.
    if (options.production) return null;
    return SecretBox.fromKeyFile(options.dataDir);
  }

  seal(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return ['v1', iv, cipher.getAuthTag(), data]
      .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
      .join('.');
  }

  open(sealed: string): string {
    const [version, iv, tag, data] = sealed.split('.');
    if (version !== 'v1' || !iv || !tag || data === undefined) throw new Error('not a sealed secret');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
  }
}

/** A SecretBox that refuses politely when none could be built (production without APP_SECRET). */
export function requireSecretBox(box: SecretBox | null): SecretBox {
  if (!box) throw new AppError('service_unavailable', 'APP_SECRET must be set to store channel credentials');
  return box;
}

function derive(material: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', material, 'leaddesk', 'channel-settings:v1', 32));
}
