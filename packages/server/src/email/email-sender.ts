import type { Mailer, MailSender } from '../channels/email/mailer.js';
import type { Config } from '../config/config.js';
import type { Logger } from '../logger.js';

/**
 * The account emails (invitations, password resets, verification) behind one
 * interface, sent through the same mailer as the channels' email (SMTP via
 * nodemailer, or SendGrid's API). Without a mailer, development and tests
 * print the message's link to the log (the operator's way to click it) and
 * production logs that nothing was sent, without the link.
 */
export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** The sender (a white-label brand's); the deployment's EMAIL_FROM without it. */
  from?: MailSender;
  /** The one action link of the message, printed when no mailer is configured (development only). */
  link?: string;
}

export interface EmailSender {
  readonly kind: 'smtp' | 'sendgrid' | 'log';
  send(message: EmailMessage): Promise<void>;
  close(): void;
}

export function createEmailSender(config: Config, logger: Logger, mailer: Mailer | null): EmailSender {
  if (mailer) return new MailerEmailSender(mailer);
  return new LogEmailSender(logger, !config.isProduction);
}

export class MailerEmailSender implements EmailSender {
  readonly kind: Mailer['kind'];
  constructor(private readonly mailer: Mailer) {
    this.kind = mailer.kind;
  }

  async send(message: EmailMessage): Promise<void> {
    await this.mailer.send({
      to: [message.to],
      subject: message.subject,
      text: message.text,
      html: message.html ?? textToHtml(message.text),
      ...(message.from ? { from: message.from } : {}),
    });
  }

  /** The mailer belongs to the channels module, which closes it. */
  close(): void {}
}

export class LogEmailSender implements EmailSender {
  readonly kind = 'log';
  constructor(
    private readonly logger: Logger,
    private readonly printLinks: boolean,
  ) {}

  async send(message: EmailMessage): Promise<void> {
    if (this.printLinks) {
      this.logger.info(
        { to: message.to, subject: message.subject, link: message.link },
        'email not sent (no SMTP_URL or SENDGRID_API_KEY); development link',
      );
    } else {
      this.logger.warn({ to: message.to, subject: message.subject }, 'email not sent: no mailer is configured');
    }
  }

  close(): void {}
}

/** Plain text as HTML: escaped, paragraphs kept, links clickable. */
export function textToHtml(text: string): string {
  const escapeHtml = (s: string) =>
    s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  return text
    .split(/\n{2,}/)
    .map(
      (paragraph) =>
        `<p>${escapeHtml(paragraph)
          .replace(/https?:\/\/[^\s<]+/g, (url) => `<a href="${url}">${url}</a>`)
          .replace(/\n/g, '<br>')}</p>`,
    )
    .join('\n');
}
