import type { EmailMessage } from '../email/email-sender.js';

/**
 * The account emails. Links carry the token in the URL fragment (`#token=`),
 * which browsers never send to a server, so it cannot land in access logs.
 */
export function accountLink(baseUrl: string, page: string, token: string): string {
  return `${baseUrl}/dashboard/${page}#token=${encodeURIComponent(token)}`;
}

export function invitationEmail(to: string, clientName: string, link: string, hours: number): EmailMessage {
  return {
    to,
    subject: `You are invited to ${clientName} on Lead Desk`,
    text: `You have been invited to join ${clientName} on Lead Desk.\n\nAccept the invitation and choose a password:\n${link}\n\nThe link works once and expires in ${hours} hours.`,
    link,
  };
}

export function passwordResetEmail(to: string, link: string, minutes: number): EmailMessage {
  return {
    to,
    subject: 'Reset your Lead Desk password',
    text: `Someone (hopefully you) asked to reset your Lead Desk password.\n\nChoose a new password:\n${link}\n\nThe link works once and expires in ${minutes} minutes. If you did not ask, ignore this email.`,
    link,
  };
}

export function verificationEmail(to: string, link: string, hours: number): EmailMessage {
  return {
    to,
    subject: 'Confirm your Lead Desk email address',
    text: `Confirm your email address:\n${link}\n\nThe link works once and expires in ${hours} hours.`,
    link,
  };
}
