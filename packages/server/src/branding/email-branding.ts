import type { EffectiveBranding } from '@leaddesk/shared';
import type { MailSender } from '../channels/email/mailer.js';
import type { EmailMessage } from '../email/email-sender.js';

/** The brand's sender for an email's From header. */
export function brandSender(brand: EffectiveBranding): MailSender {
  return { name: brand.emailFromName, address: brand.emailFromAddress };
}

/** The closing line of a plain-text email: where to get help, when the brand has a support link. */
export function supportFooter(brand: Pick<EffectiveBranding, 'supportUrl'>): string {
  return brand.supportUrl ? `\n\nNeed help? ${brand.supportUrl}` : '';
}

/** The same in HTML (the URL is validated: https or a path; escaped anyway). */
export function supportFooterHtml(brand: Pick<EffectiveBranding, 'supportUrl'>): string {
  if (!brand.supportUrl) return '';
  const url = brand.supportUrl.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  return `<p style="font-size:12px;color:#6e6e73">Need help? <a href="${url}">${url}</a></p>`;
}

/**
 * A plain staff email in the client's brand: its sender, `{product}` in the subject and text replaced by its
 * product name, and its support link at the end.
 */
export async function brandedEmail(
  branding: { forClient(clientId: string): Promise<EffectiveBranding> },
  clientId: string,
  message: EmailMessage,
): Promise<EmailMessage> {
  const brand = await branding.forClient(clientId);
  const name = (s: string) => s.replaceAll('{product}', brand.productName);
  return {
    ...message,
    from: brandSender(brand),
    subject: name(message.subject),
    text: `${name(message.text).trimEnd()}${supportFooter(brand)}\n`,
  };
}
