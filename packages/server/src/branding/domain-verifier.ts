import { Resolver } from 'node:dns/promises';

export interface DomainVerifierOptions {
  /** The record's label under the host (`<txtLabel>.<host>`). */
  txtLabel: string;
  /** DNS servers (`ip` or `ip:port`); empty: the system's resolvers. */
  servers: readonly string[];
  /** Per try (two tries). */
  timeoutMs: number;
}

/** `lookupFailed`: the DNS lookup itself failed (timeout, SERVFAIL), which says nothing about the record. */
export type TxtCheck = { ok: true } | { ok: false; reason: string; lookupFailed?: true };

/** Error codes of a name that has no TXT record (yet), as opposed to a lookup that failed. */
const MISSING = new Set(['ENODATA', 'ENOTFOUND', 'NOTFOUND', 'ENONAME']);

/**
 * Whether a host's owner published its verification value as a DNS TXT record (how Vercel, Intercom or
 * HubSpot prove a custom domain is the claimant's): `<txtLabel>.<host>` must hold a TXT record whose text is
 * exactly the value. A name with several TXT records passes when any of them matches; a record split into
 * several strings (over 255 bytes) is read joined.
 */
export class DomainVerifier {
  private readonly resolver: Resolver;

  constructor(private readonly options: DomainVerifierOptions) {
    this.resolver = new Resolver({ timeout: options.timeoutMs, tries: 2 });
    if (options.servers.length) this.resolver.setServers([...options.servers]);
  }

  recordName(host: string): string {
    return `${this.options.txtLabel}.${host}`;
  }

  async check(host: string, value: string): Promise<TxtCheck> {
    const name = this.recordName(host);
    let records: string[][];
    try {
      records = await this.resolver.resolveTxt(name);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? 'error';
      if (MISSING.has(code))
        return { ok: false, reason: `no TXT record found at ${name} yet (DNS changes can take a while to show)` };
      return {
        ok: false,
        reason: `could not look up the TXT record at ${name} (${code}); try again later`,
        lookupFailed: true,
      };
    }
    if (records.some((chunks) => chunks.join('').trim() === value)) return { ok: true };
    return {
      ok: false,
      reason: records.length
        ? `the TXT record at ${name} does not hold this domain's verification value`
        : `no TXT record found at ${name} yet (DNS changes can take a while to show)`,
    };
  }
}
