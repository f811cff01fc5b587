import type { Branding, EffectiveBranding } from '@leaddesk/shared';
import { brandingSchema } from '@leaddesk/shared';

/**
 * The effective branding: the deployment's defaults, then the agency's fields, then the client's (each layer
 * only overrides what it names). A stored document that no longer validates (written by hand, or by an older
 * schema) counts as empty rather than breaking every page: its owner sees it in the settings and saves again.
 */
export function resolveBranding(defaults: EffectiveBranding, ...layers: unknown[]): EffectiveBranding {
  let result: EffectiveBranding = { ...defaults };
  let branded = false;
  for (const layer of layers) {
    const parsed = brandingSchema.safeParse(layer ?? {});
    if (!parsed.success) continue;
    if (Object.keys(parsed.data).length > 0) branded = true;
    result = overlay(result, parsed.data);
  }
  // A white-labelled brand without its own logo or favicon shows none rather than the platform's.
  if (branded) {
    if (result.logoUrl === defaults.logoUrl) result.logoUrl = '';
    if (result.faviconUrl === defaults.faviconUrl) result.faviconUrl = '';
    // Nor a "Powered by" link to the platform's site: "Powered by <their product name>", unlinked.
    const ours = defaults.poweredBy.hidden ? undefined : defaults.poweredBy.url;
    if (!result.poweredBy.hidden && ours && result.poweredBy.url === ours) {
      result.poweredBy = { hidden: false, ...(result.poweredBy.label ? { label: result.poweredBy.label } : {}) };
    }
  }
  return result;
}

function overlay(base: EffectiveBranding, layer: Branding): EffectiveBranding {
  const next: EffectiveBranding = { ...base };
  for (const [key, value] of Object.entries(layer) as Array<[keyof Branding, unknown]>) {
    if (value === undefined) continue;
    if (key === 'poweredBy') {
      const powered = value as NonNullable<Branding['poweredBy']>;
      next.poweredBy = powered.hidden ? { hidden: true } : { hidden: false, label: powered.label, url: powered.url };
    } else {
      (next as unknown as Record<string, unknown>)[key] = value;
    }
  }
  return next;
}

/** Lower case, no port, no trailing dot: how a Host header is looked up in brand_domains. */
export function normaliseHost(host: string | undefined): string | null {
  if (!host) return null;
  const bare = host.trim().toLowerCase();
  // IPv6 literals ([::1]:3000) are never brand domains.
  if (bare.startsWith('[')) return null;
  const name = bare.replace(/:\d+$/, '').replace(/\.$/, '');
  return name.length > 0 && name.length <= 253 ? name : null;
}
