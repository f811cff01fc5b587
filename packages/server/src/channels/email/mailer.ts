import nodemailer, { type Transporter } from 'nodemailer';
import type { Config } from '../../config/config.js';
import { DeliveryError } from '../channel-adapter.js';

export interface MailInput {
  to: string[];
  subject: string;
  html: string;
  text: string;
  replyTo?: string;
  /** The sender when not the deployment's EMAIL_FROM: a white-labelled client's or agency's (docs/white-label.md). */
  from?: MailSender;
  /**
   * A stable Message-ID (`<id@host>`) for a message that may be sent again after a crash: mail systems
   * that see the same id twice may drop the copy. SMTP only; SendGrid assigns its own.
   */
  messageId?: string;
}

export interface MailSender {
  name: string;
  address: string;
}

/** Sends one email; throws a `DeliveryError` saying whether retrying can help. */
export interface Mailer {
  readonly kind: 'smtp' | 'sendgrid';
  send(mail: MailInput): Promise<{ messageId: string }>;
  close(): void;
}

export interface MailerOptions {
  smtpUrl?: string;
  sendgridApiKey?: string;
  sendgridBaseUrl: string;
  from: string;
}

/**
 * SMTP through nodemailer when `SMTP_URL` is set (SendGrid's SMTP relay is
 * `smtp://apikey:<key>@smtp.sendgrid.net:587`); otherwise SendGrid's v3 HTTP
 * API when `SENDGRID_API_KEY` is set; otherwise null (email is skipped).
 */
export function createMailer(options: MailerOptions): Mailer | null {
  if (options.smtpUrl) return smtpMailer(nodemailer.createTransport(options.smtpUrl), options.from);
  if (options.sendgridApiKey) return sendgridMailer(options.sendgridApiKey, options.sendgridBaseUrl, options.from);
  return null;
}

/** The deployment's mailer from its configuration. */
export function mailerFromConfig(config: Config): Mailer | null {
  const env = config.raw;
  return createMailer({
    smtpUrl: env.SMTP_URL,
    sendgridApiKey: env.SENDGRID_API_KEY,
    sendgridBaseUrl: env.SENDGRID_BASE_URL,
    from: env.EMAIL_FROM,
  });
}

function smtpMailer(transport: Transporter, from: string): Mailer {
  return {
    kind: 'smtp',
    async send(mail) {
      try {
        const { from: sender, ...rest } = mail;
        const info = await transport.sendMail({ from: sender ?? from, ...rest });
        return { messageId: String(info.messageId) };
      } catch (err) {
        const e = err as { responseCode?: number; code?: string; message: string };
        // SMTP 5xx is a final refusal (unknown mailbox, policy); 4xx and connection problems are temporary.
        const permanent = typeof e.responseCode === 'number' && e.responseCode >= 500;
        throw new DeliveryError(e.message, { permanent, code: e.responseCode ?? e.code });
      }
    },
    close() {
      transport.close();
    },
  };
}

/** SendGrid v3 Mail Send (`POST /v3/mail/send`, 202 with an `X-Message-Id`). */
function sendgridMailer(apiKey: string, baseUrl: string, from: string): Mailer {
  const sender = parseAddress(from);
  return {
    kind: 'sendgrid',
    async send(mail) {
      let res: Response;
      try {
        res = await fetch(`${baseUrl.replace(/\/$/, '')}/v3/mail/send`, {
          method: 'POST',
          headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
          body: JSON.stringify({
            personalizations: [{ to: mail.to.map((email) => ({ email })) }],
            from: mail.from ? { email: mail.from.address, name: mail.from.name } : sender,
            ...(mail.replyTo ? { reply_to: { email: mail.replyTo } } : {}),
            subject: mail.subject,
            content: [
              { type: 'text/plain', value: mail.text },
              { type: 'text/html', value: mail.html },
            ],
          }),
          signal: AbortSignal.timeout(10_000),
        });
      } catch (err) {
        throw new DeliveryError(`SendGrid unreachable: ${(err as Error).message}`, {
          permanent: false,
          code: 'network',
        });
      }
      if (res.status === 202 || res.ok) return { messageId: res.headers.get('x-message-id') ?? 'sendgrid' };
      const body = (await res.json().catch(() => null)) as { errors?: Array<{ message?: string }> } | null;
      throw DeliveryError.fromHttpStatus(res.status, body?.errors?.[0]?.message ?? `SendGrid HTTP ${res.status}`);
    },
    close() {},
  };
}

function parseAddress(value: string): { email: string; name?: string } {
  const match = /^\s*(.*?)\s*<([^>]+)>\s*$/.exec(value);
  return match?.[2]
    ? { email: match[2], ...(match[1] ? { name: match[1].replace(/^"|"$/g, '') } : {}) }
    : { email: value.trim() };
}
