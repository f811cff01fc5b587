import { z } from 'zod';

/**
 * White-label branding (issue 18, docs/white-label.md): what an agency or a client overrides of the
 * deployment's own branding. Every field is optional; the effective branding is the deployment's defaults,
 * then the agency's fields, then the client's. The stored document is validated whole with this schema
 * after a merge patch (null removes a field: it is inherited again).
 */

/** An asset or a link shown to people: https, or a path on the serving host. Never `javascript:` or `data:`. */
const safeUrl = z
  .string()
  .trim()
  .min(1)
  .max(500)
  .refine(
    (u) => /^https:\/\/[^\s"'<>]+$/i.test(u) || /^\/(?!\/)[^\s"'<>]*$/.test(u),
    'expected an https:// link or a path starting with /',
  );

const hexColor = z
  .string()
  .trim()
  .regex(/^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/, 'expected a hex colour like #1a2b3c');

/** A display name in a From header: no characters that could end the header or quote the address. */
const senderName = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .refine((s) => !/[\r\n<>"\\]/.test(s), 'must not contain line breaks, quotes or angle brackets');

export const poweredBySchema = z.union([
  z.object({ hidden: z.literal(true) }).strict(),
  z
    .object({
      hidden: z.literal(false).optional(),
      label: z.string().trim().min(1).max(60),
      url: safeUrl.refine((u) => u.startsWith('https://'), 'expected an https:// link').optional(),
    })
    .strict(),
]);

export const brandingSchema = z
  .object({
    /** Replaces the product's name everywhere people see it (dashboard, emails, API document). */
    productName: z.string().trim().min(1).max(60),
    logoUrl: safeUrl,
    faviconUrl: safeUrl,
    primaryColor: hexColor,
    accentColor: hexColor,
    emailFromName: senderName,
    emailFromAddress: z.email('expected an email address').max(254),
    supportUrl: safeUrl,
    /** The widget's "Powered by" line: hidden, or a label with an optional link. */
    poweredBy: poweredBySchema,
  })
  .partial()
  .strict();
export type Branding = z.infer<typeof brandingSchema>;

/** Every field resolved: what a page, an email or the widget is drawn with. */
export interface EffectiveBranding {
  productName: string;
  /** Empty: no logo (a white-labelled brand without its own never shows the platform's). */
  logoUrl: string;
  faviconUrl: string;
  primaryColor: string;
  accentColor: string;
  emailFromName: string;
  emailFromAddress: string;
  supportUrl?: string;
  /** Without a label the widget says "Powered by <productName>" in the visitor's language. */
  poweredBy: { hidden: true } | { hidden: false; label?: string; url?: string };
}

/** A host name a brand is served on: lower case, letters, digits and hyphens, at least one dot, no port. */
export const brandHostSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(253)
  .regex(
    /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$/,
    'expected a host name like app.agency.example (no scheme, port or path)',
  );

export const brandDomainInputSchema = z.object({ host: brandHostSchema }).strict();

/**
 * A brand domain as its owner sees it. A claim is `pending` until the DNS TXT record `verification` names is
 * found holding its value; only `verified` hosts serve the brand. A pending claim nobody verified can be taken
 * by another tenant after `expiresAt`. `verification` is null for domains accepted before verification existed.
 */
export const brandDomainStatusSchema = z.enum(['pending', 'verified']);
export type BrandDomainStatus = z.infer<typeof brandDomainStatusSchema>;

export const brandDomainSchema = z.object({
  host: z.string(),
  status: brandDomainStatusSchema,
  /** The TXT record to publish: its full name and the exact value. */
  verification: z.object({ type: z.literal('TXT'), name: z.string(), value: z.string() }).nullable(),
  createdAt: z.string(),
  verifiedAt: z.string().nullable(),
  /** Pending only: when another tenant may claim the host. */
  expiresAt: z.string().nullable(),
  /**
   * When the TXT record was last looked up, and why it did not match (null while it matches): a pending
   * claim's reason, or a verified domain's whose record has gone.
   */
  checkedAt: z.string().nullable(),
  lastError: z.string().nullable(),
  /** Verified only: since when the re-check no longer finds the TXT record (null while it does). */
  failingSince: z.string().nullable(),
  /** Verified only, while failing: when the domain becomes pending again and stops being served branded. */
  stopsServingAt: z.string().nullable(),
});
export type BrandDomain = z.infer<typeof brandDomainSchema>;

/**
 * What moves a host another tenant holds to the caller (docs/white-label.md, "Moving a domain"): the caller's
 * own value to publish at the host's TXT name, then `POST …/brand-domains/:host/take-over`.
 */
export const brandDomainTakeoverSchema = z.object({
  host: z.string(),
  verification: z.object({ type: z.literal('TXT'), name: z.string(), value: z.string() }),
});
export type BrandDomainTakeover = z.infer<typeof brandDomainTakeoverSchema>;
