import type { EffectiveBranding } from '@leaddesk/shared';
import Handlebars from 'handlebars';
import { brandSender, supportFooter } from '../../branding/email-branding.js';
import type { MailSender } from './mailer.js';

/**
 * Email templates: Handlebars, compiled once, in an isolated environment.
 * `{{value}}` is HTML-escaped by Handlebars; no template here uses the
 * unescaped `{{{ }}}` form, so lead-supplied text (names, messages) can never
 * inject markup into a staff inbox. Every email has an HTML and a plain-text
 * version.
 */
const hb = Handlebars.create();

const LAYOUT = `<!doctype html>
<html><body style="margin:0;padding:24px;background:#f5f5f7;font-family:-apple-system,Segoe UI,Roboto,sans-serif;color:#1d1d1f">
<div style="max-width:560px;margin:0 auto;background:#fff;border-radius:12px;padding:24px">
<p style="margin:0 0 4px;font-size:12px;color:#6e6e73">{{businessName}}{{#if productName}} · {{productName}}{{/if}}</p>
<h1 style="font-size:20px;margin:0 0 16px">{{title}}</h1>
{{> body}}
{{#if link}}<p style="margin:24px 0 0"><a href="{{link}}" style="display:inline-block;background:{{buttonColor}};color:#fff;text-decoration:none;padding:10px 18px;border-radius:8px">{{linkLabel}}</a></p>{{/if}}
{{#if supportUrl}}<p style="margin:24px 0 0;font-size:12px;color:#6e6e73">Need help? <a href="{{supportUrl}}">{{supportUrl}}</a></p>{{/if}}
</div></body></html>`;

const BODIES = {
  hot_lead: `<p><strong>{{leadName}}</strong> scored <strong>{{score}}</strong> and is hot.</p>
<ul>{{#each facts}}<li>{{this}}</li>{{/each}}</ul>
{{#if lastMessage}}<blockquote style="border-left:3px solid #ddd;margin:12px 0;padding:4px 12px;color:#444">{{lastMessage}}</blockquote>{{/if}}`,
  escalation: `<p>A conversation with <strong>{{leadName}}</strong> needs a person ({{reason}}, priority {{priority}}).</p>
{{#if detail}}<blockquote style="border-left:3px solid #ddd;margin:12px 0;padding:4px 12px;color:#444">{{detail}}</blockquote>{{/if}}`,
  appointment: `<p><strong>{{leadName}}</strong> booked an appointment for <strong>{{when}}</strong>.</p>
<ul>{{#each facts}}<li>{{this}}</li>{{/each}}</ul>`,
  digest: `<p>{{summary}}</p>
<table style="border-collapse:collapse;width:100%">{{#each rows}}<tr><td style="padding:4px 0;color:#6e6e73">{{label}}</td><td style="padding:4px 0;text-align:right"><strong>{{value}}</strong></td></tr>{{/each}}</table>
{{#if hot.length}}<h2 style="font-size:16px">Hot leads</h2><ul>{{#each hot}}<li>{{this}}</li>{{/each}}</ul>{{/if}}`,
  reply: `{{#each paragraphs}}<p>{{this}}</p>{{/each}}
<p style="color:#6e6e73;font-size:12px">You can reply to this email.</p>`,
} as const;

const TEXTS = {
  hot_lead: `{{leadName}} scored {{score}} and is hot.
{{#each facts}}- {{this}}
{{/each}}{{#if lastMessage}}
"{{lastMessage}}"
{{/if}}`,
  escalation: `A conversation with {{leadName}} needs a person ({{reason}}, priority {{priority}}).
{{#if detail}}
"{{detail}}"
{{/if}}`,
  appointment: `{{leadName}} booked an appointment for {{when}}.
{{#each facts}}- {{this}}
{{/each}}`,
  digest: `{{summary}}
{{#each rows}}{{label}}: {{value}}
{{/each}}{{#if hot.length}}
Hot leads:
{{#each hot}}- {{this}}
{{/each}}{{/if}}`,
  reply: `{{#each paragraphs}}{{this}}

{{/each}}`,
} as const;

export type EmailKind = keyof typeof BODIES;

const layout = hb.compile(LAYOUT, { strict: false });
const bodies = Object.fromEntries(Object.entries(BODIES).map(([k, v]) => [k, hb.compile(v)])) as Record<
  EmailKind,
  HandlebarsTemplateDelegate
>;
// The plain-text versions must not HTML-escape (a name like "O'Brien" stays as typed).
const texts = Object.fromEntries(
  Object.entries(TEXTS).map(([k, v]) => [k, hb.compile(v, { noEscape: true })]),
) as Record<EmailKind, HandlebarsTemplateDelegate>;

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
  /** The brand's sender (docs/white-label.md). */
  from: MailSender;
}

/**
 * `brand` is the client's effective branding: its sender, and for staff emails (`staffFacing`) its product
 * name and support link too; a lead's reply names only the business.
 */
export function renderEmail(
  kind: EmailKind,
  input: {
    subject: string;
    title: string;
    businessName: string;
    brand: EffectiveBranding;
    link?: string;
    linkLabel?: string;
  } & Record<string, unknown>,
): RenderedEmail {
  const staffFacing = kind !== 'reply';
  const { brand } = input;
  const values = {
    ...input,
    productName: staffFacing ? brand.productName : undefined,
    supportUrl: staffFacing ? brand.supportUrl : undefined,
    buttonColor: brand.primaryColor,
  };
  const html = layout(values, { partials: { body: bodies[kind] } });
  let text = `${input.title}\n\n${texts[kind](values).trim()}\n`;
  if (input.link) text += `\n${input.linkLabel ?? 'Open'}: ${input.link}\n`;
  if (staffFacing) text += supportFooter(brand);
  return { subject: input.subject, html, text, from: brandSender(brand) };
}
