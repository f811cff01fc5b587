import { createSocket } from 'node:dgram';
import dnsPacket from 'dns-packet';

export interface FakeDns {
  /** `ip:port`, for BRAND_DNS_SERVERS. */
  server: string;
  /** TXT records by name (lower case); a name with none answers NXDOMAIN. */
  txt: Map<string, string[]>;
  /** The names asked for, in order. */
  asked: string[];
  /** Names answered SERVFAIL: a lookup that fails, which says nothing about the record. */
  failing: Set<string>;
  close(): Promise<void>;
}

/**
 * A small authoritative-looking DNS server on 127.0.0.1 (UDP, port 0) that answers TXT questions from `txt`:
 * the brand domain verification's resolver is pointed at it, never at the network.
 */
export async function startFakeDns(): Promise<FakeDns> {
  const txt = new Map<string, string[]>();
  const asked: string[] = [];
  const failing = new Set<string>();
  const socket = createSocket('udp4');
  socket.on('message', (message, peer) => {
    let query: dnsPacket.Packet;
    try {
      query = dnsPacket.decode(message);
    } catch {
      return;
    }
    const question = query.questions?.[0];
    if (!question) return;
    const name = question.name.toLowerCase();
    asked.push(name);
    const values = txt.get(name);
    const answers: dnsPacket.Answer[] =
      question.type === 'TXT' ? (values ?? []).map((data) => ({ type: 'TXT', name: question.name, ttl: 1, data })) : [];
    const NXDOMAIN = 3;
    const SERVFAIL = 2;
    const rcode = failing.has(name) ? SERVFAIL : values ? 0 : NXDOMAIN;
    const reply = dnsPacket.encode({
      type: 'response',
      id: query.id,
      flags: dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE | rcode,
      questions: query.questions,
      answers: rcode === SERVFAIL ? [] : answers,
    });
    socket.send(reply, peer.port, peer.address);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () => resolve());
  });
  return {
    server: `127.0.0.1:${socket.address().port}`,
    txt,
    asked,
    failing,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
