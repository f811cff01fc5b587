import type { EmailSender } from '../email/email-sender.js';
import type { Logger } from '../logger.js';
import type { BrandingService } from './branding-service.js';
import type { DueNotice } from './branding-store.js';
import { brandSender, supportFooter } from './email-branding.js';

export interface DomainNoticesOptions {
  branding: BrandingService;
  email: EmailSender;
  logger: Logger;
  /** The TXT record's full name for a host (DomainVerifier.recordName). */
  recordName(host: string): string;
  /** How long a missing record is tolerated before the host stops being served branded. */
  graceMs: number;
  /** How long a notice taken by one worker is left to it before another sends it. */
  leaseMs: number;
  now?: () => Date;
}

/** A notice taken by a worker that died mid-send is sent by another after this long. */
export const DOMAIN_NOTICE_LEASE_MS = 10 * 60_000;

/** Notices sent per round at most (the rest wait for the next round). */
const NOTICE_BATCH = 50;

const when = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });
const at = (d: Date) => `${when.format(d)} UTC`;

/**
 * Tells a brand domain's owner (its admins, in its own brand) when the domain's TXT record goes missing, while
 * there is still time to put it back, and again if the grace ran out and the host stopped showing the brand.
 * One email per admin per event: each notice is leased to one worker (BrandingStore.claimNotices) and recorded
 * once sent; a worker that dies mid-send leaves it to be sent after the lease.
 */
export class DomainNotices {
  private readonly now: () => Date;

  constructor(private readonly options: DomainNoticesOptions) {
    this.now = options.now ?? (() => new Date());
  }

  /** Sends the notices due; returns how many domains' owners were told. */
  async sendDue(): Promise<number> {
    const { branding, leaseMs } = this.options;
    const now = this.now();
    const due = await branding.store.claimNotices(now, new Date(now.getTime() - leaseMs), NOTICE_BATCH);
    let sent = 0;
    for (const notice of due) {
      try {
        await this.send(notice);
        await branding.store.noticeSent(notice);
        sent++;
      } catch (err) {
        // Left leased: another round sends it once the lease is over.
        this.options.logger.warn({ err, host: notice.host, kind: notice.kind }, 'brand domain notice failed');
      }
    }
    return sent;
  }

  private async send(notice: DueNotice): Promise<void> {
    const { branding, email } = this.options;
    const recipients = await branding.store.ownerAdmins(notice.owner);
    if (recipients.length === 0) return;
    const brand = notice.owner.clientId
      ? await branding.forClient(notice.owner.clientId)
      : await branding.forAgency(notice.owner.agencyId);
    const message = this.compose(notice);
    for (const to of recipients) {
      await email.send({
        to,
        from: brandSender(brand),
        subject: `${brand.productName}: ${message.subject}`,
        text: `${message.text}${supportFooter(brand)}\n`,
      });
    }
  }

  private compose(notice: DueNotice): { subject: string; text: string } {
    const { host } = notice;
    const record = notice.token
      ? `\n\n  Type:  TXT\n  Name:  ${this.options.recordName(host)}\n  Value: ${notice.token}\n`
      : '\n';
    if (notice.kind === 'failing') {
      const stops = new Date(notice.failingSince.getTime() + this.options.graceMs);
      return {
        subject: `the DNS record that proves ${host} is yours is missing`,
        text:
          `The TXT record that proves ${host} is yours was not found when it was checked on ${at(notice.failingSince)}` +
          `${notice.lastError ? ` (${notice.lastError})` : ''}.\n\n` +
          `${host} keeps showing your dashboard in your brand until ${at(stops)}. Publish this record again at your ` +
          `DNS provider before then:${record}\n` +
          "Your dashboard's branding page shows the record and when it was last checked.",
      };
    }
    return {
      subject: `${host} no longer shows your brand`,
      text:
        `The TXT record that proves ${host} is yours has been missing since ${at(notice.failingSince)}, so ${host} ` +
        `no longer shows your dashboard in your brand.\n\nPublish this record again and press Verify on your ` +
        `dashboard's branding page${notice.expiresAt ? ` before ${at(notice.expiresAt)}, after which anyone may claim the domain` : ''}:` +
        record,
    };
  }
}
