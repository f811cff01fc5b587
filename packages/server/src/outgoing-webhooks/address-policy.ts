import dns, { type LookupAddress, type LookupOptions } from 'node:dns';
import net from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * Which addresses a delivery may connect to (SSRF protection). Only global
 * unicast addresses pass: ipaddr.js classifies every special-purpose range
 * (private 10/8, 172.16/12, 192.168/16; loopback; link-local 169.254/16 with
 * the cloud metadata address; 0.0.0.0/8; carrier-grade NAT 100.64/10; reserved
 * and documentation ranges; IPv6 ::1, ::, fc00::/7, fe80::/10, multicast, NAT64
 * and 6to4) as something other than `unicast`. An IPv4-mapped IPv6 address
 * (::ffff:127.0.0.1) is judged as the IPv4 address it carries.
 */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) {
    parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  }
  return parsed.range() === 'unicast';
}

export class RefusedAddressError extends Error {
  override name = 'RefusedAddressError';
  readonly code = 'ERR_WEBHOOK_ADDRESS_REFUSED';
}

/** The host of a URL as net.connect sees it (IPv6 literals without their brackets). */
export function hostOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}

/** Refuses a literal IP host that is not public (net.connect does no lookup for those). */
export function checkLiteralHost(host: string, allowPrivate: boolean): void {
  if (!allowPrivate && net.isIP(host) && !isPublicAddress(host)) {
    throw new RefusedAddressError(`refused: ${host} is not a public address`);
  }
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for the HTTP request: it runs when the socket connects, so the
 * address checked is the address connected to (a DNS answer that changes
 * between a check and the connection, DNS rebinding, cannot slip through). A
 * name with any non-public address is refused whole.
 */
export function guardedLookup(allowPrivate: boolean) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, []);
      const list = addresses as LookupAddress[];
      const refused = allowPrivate ? undefined : list.find((a) => !isPublicAddress(a.address));
      if (refused) {
        return callback(
          new RefusedAddressError(`refused: ${hostname} resolves to ${refused.address}, not a public address`),
          [],
        );
      }
      if (options.all) return callback(null, list);
      const first = list[0];
      if (!first) return callback(Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }), []);
      callback(null, first.address, first.family);
    });
  };
}
