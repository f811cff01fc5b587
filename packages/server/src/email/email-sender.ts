import nodemailer, { type Transporter } from 'nodemailer';
import type { Config } from '../config/config.js';
import type { Logger } from '../logger.js';

/**
 * Outbound email behind one interface. With SMTP_URL it goes through
 * nodemailer; without it, development and tests print the message's link to
 * the log (the operator's way to click it) and production logs that nothing
 * was sent, without the link.
 */
export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** The one action link of the message, printed when no SMTP server is configured (development only). */
  link?: string;
}

export interface EmailSender {
  readonly kind: 'smtp' | 'log';
  send(message: EmailMessage): Promise<void>;
  close(): void;
}

export function createEmailSender(config: Config, logger: Logger): EmailSender {
  if (config.email.smtpUrl) return new SmtpEmailSender(config.email.smtpUrl, config.email.from);
  return new LogEmailSender(logger, !config.isProduction);
}

export class SmtpEmailSender implements EmailSender {
  readonly kind = 'smtp';
  private readonly transport: Transporter;

  constructor(
    smtpUrl: string,
    private readonly from: string,
  ) {
    this.transport = nodemailer.createTransport(smtpUrl);
  }

  async send(message: EmailMessage): Promise<void> {
    await this.transport.sendMail({
      from: this.from,
      to: message.to,
      subject: message.subject,
      text: message.text,
      html: message.html,
    });
  }

  close(): void {
    this.transport.close();
  }
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
        'email not sent (SMTP_URL is not set); development link',
      );
    } else {
      this.logger.warn({ to: message.to, subject: message.subject }, 'email not sent: SMTP_URL is not set');
    }
  }

  close(): void {}
}
