import type { EffectiveBranding } from '@leaddesk/shared';
import { brandSender, supportFooter } from '../branding/email-branding.js';
import type { EmailMessage } from '../email/email-sender.js';

/**
 * The account emails, in the brand of the user's client (or agency): its product name, sender and support
 * link (docs/white-label.md). Links carry the token in the URL fragment (`#token=`), which browsers never
 * send to a server, so it cannot land in access logs.
 */
export function accountLink(baseUrl: string, page: string, token: string): string {
  return `${baseUrl}/dashboard/${page}#token=${encodeURIComponent(token)}`;
}

export function invitationEmail(
  to: string,
  clientName: string,
  link: string,
  hours: number,
  brand: EffectiveBranding,
): EmailMessage {
  return {
    to,
    from: brandSender(brand),
    subject: `You are invited to ${clientName} on ${brand.productName}`,
    text: `You have been invited to join ${clientName} on ${brand.productName}.\n\nAccept the invitation and choose a password:\n${link}\n\nThe link works once and expires in ${hours} hours.${supportFooter(brand)}`,
    link,
  };
}

export function passwordResetEmail(to: string, link: string, minutes: number, brand: EffectiveBranding): EmailMessage {
  return {
    to,
    from: brandSender(brand),
    subject: `Reset your ${brand.productName} password`,
    text: `Someone (hopefully you) asked to reset your ${brand.productName} password.\n\nChoose a new password:\n${link}\n\nThe link works once and expires in ${minutes} minutes. If you did not ask, ignore this email.${supportFooter(brand)}`,
    link,
  };
}

export function verificationEmail(to: string, link: string, hours: number, brand: EffectiveBranding): EmailMessage {
  return {
    to,
    from: brandSender(brand),
    subject: `Confirm your ${brand.productName} email address`,
    text: `Confirm your email address:\n${link}\n\nThe link works once and expires in ${hours} hours.${supportFooter(brand)}`,
    link,
  };
}
