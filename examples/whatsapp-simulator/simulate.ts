/**
 * WhatsApp simulator: plays Meta for a local Lead Desk server, without Meta
 * credentials.
 *
 * - Sends correctly signed WhatsApp Cloud API webhooks (`X-Hub-Signature-256`,
 *   HMAC-SHA256 of the raw body with the app secret) to POST /webhooks/whatsapp.
 * - Runs a fake Graph API and prints what the server sends back (texts,
 *   templates, mark-as-read), then reports them `delivered` and `read` with
 *   signed status webhooks, as Meta would.
 *
 * Usage (see README.md):
 *   npx tsx examples/whatsapp-simulator/simulate.ts --api-key ld_live_… [--message "Hi"]
 * Node built-ins only.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import readline from 'node:readline';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: {
    server: { type: 'string', default: 'http://localhost:3000' },
    secret: { type: 'string', default: 'simulator-app-secret' },
    'graph-port': { type: 'string', default: '4010' },
    'phone-number-id': { type: 'string', default: '106540352242922' },
    from: { type: 'string', default: '16505551234' },
    name: { type: 'string', default: 'Sheena Nelson' },
    'api-key': { type: 'string' },
    message: { type: 'string' },
    wait: { type: 'string', default: '8' },
    'no-status': { type: 'boolean', default: false },
  },
});

const server = (args.server ?? '').replace(/\/$/, '');
const phoneNumberId = args['phone-number-id'] ?? '';
const wamid = () => `wamid.${randomBytes(24).toString('base64url')}`;
const now = () => String(Math.floor(Date.now() / 1000));
const dim = (s: string) => `\x1b[2m${s}\x1b[0m`;
const green = (s: string) => `\x1b[32m${s}\x1b[0m`;
let lastBody = '';

/** Wraps messages/statuses in Meta's `whatsapp_business_account` envelope. */
function envelope(value: Record<string, unknown>) {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '102290129340398',
        changes: [
          {
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15550783881', phone_number_id: phoneNumberId },
              ...value,
            },
            field: 'messages',
          },
        ],
      },
    ],
  };
}

function inbound(message: Record<string, unknown>) {
  return envelope({
    contacts: [{ profile: { name: args.name }, wa_id: args.from }],
    messages: [{ from: args.from, id: wamid(), timestamp: now(), ...message }],
  });
}

async function deliver(body: unknown, raw = JSON.stringify(body)): Promise<number> {
  lastBody = raw;
  const signature = `sha256=${createHmac('sha256', args.secret ?? '')
    .update(raw)
    .digest('hex')}`;
  const res = await fetch(`${server}/webhooks/whatsapp`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature },
    body: raw,
  });
  return res.status;
}

/** What the server posts to `/{phone-number-id}/messages`. */
interface GraphRequest {
  status?: string;
  message_id?: string;
  to?: string;
  type?: string;
  text?: { body: string };
  template?: { name: string; language: { code: string }; components?: Array<{ parameters?: Array<{ text: string }> }> };
  [media: string]: unknown;
}

// The fake Graph API: POST /{version}/{phone-number-id}/messages.
const graph = createServer((req, res) => {
  let data = '';
  req.on('data', (c) => {
    data += c;
  });
  req.on('end', () => {
    const body = JSON.parse(data || '{}') as GraphRequest;
    if (body.status === 'read') {
      console.log(dim(`  ✓✓ server marked ${String(body.message_id).slice(0, 20)}… as read`));
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ success: true }));
      return;
    }
    const id = wamid();
    if (body.type === 'text' && body.text) console.log(green(`  ← ${body.text.body}`));
    else if (body.type === 'template' && body.template) {
      const params = (body.template.components?.[0]?.parameters ?? []).map((p) => p.text);
      console.log(green(`  ← [template ${body.template.name} (${body.template.language.code})] ${params.join(' | ')}`));
    } else console.log(green(`  ← [${body.type}] ${JSON.stringify(body[body.type as string])}`));
    res.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        messaging_product: 'whatsapp',
        contacts: [{ input: body.to, wa_id: body.to }],
        messages: [{ id }],
      }),
    );
    if (!args['no-status']) {
      // Meta reports delivery and reading a moment later.
      for (const [status, delay] of [
        ['delivered', 400],
        ['read', 1200],
      ] as const) {
        setTimeout(() => {
          void deliver(envelope({ statuses: [{ id, status, timestamp: now(), recipient_id: body.to }] }));
        }, delay);
      }
    }
  });
});

await new Promise<void>((resolve) => graph.listen(Number(args['graph-port']), '127.0.0.1', resolve));
console.log(`fake Graph API on http://127.0.0.1:${args['graph-port']}/v21.0`);
console.log(
  dim(
    `start the server with META_APP_SECRET=${args.secret} META_GRAPH_BASE_URL=http://127.0.0.1:${args['graph-port']}/v21.0`,
  ),
);

if (args['api-key']) {
  const res = await fetch(`${server}/api/v1/channels/whatsapp`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${args['api-key']}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      phoneNumberId,
      accessToken: 'simulator-access-token',
      followUpTemplate: { name: 'hello_world', language: 'en_US', parameters: [] },
    }),
  });
  console.log(
    res.ok
      ? `connected the client to phone number id ${phoneNumberId}`
      : `could not connect: ${res.status} ${await res.text()}`,
  );
}

async function send(line: string): Promise<void> {
  const [command, ...rest] = line.trim().split(/\s+/);
  let body: unknown;
  if (command === '/button')
    body = inbound({
      type: 'interactive',
      interactive: {
        type: 'button_reply',
        button_reply: { id: rest[0] ?? 'yes', title: rest.slice(1).join(' ') || 'Yes' },
      },
    });
  else if (command === '/image')
    body = inbound({
      type: 'image',
      image: { id: String(Date.now()), mime_type: 'image/jpeg', sha256: 'x', caption: rest.join(' ') },
    });
  else if (command === '/location')
    body = inbound({
      type: 'location',
      location: { latitude: 37.7749, longitude: -122.4194, name: rest.join(' ') || 'Ferry Building' },
    });
  else if (command === '/dup') {
    // Meta delivers at least once: the same bytes five times, concurrently.
    const statuses = await Promise.all(Array.from({ length: 5 }, () => deliver(null, lastBody)));
    console.log(dim(`  → redelivered the last webhook 5 times: ${statuses.join(' ')}`));
    return;
  } else body = inbound({ type: 'text', text: { body: line } });
  const status = await deliver(body);
  console.log(dim(`  → webhook ${status === 200 ? 'accepted' : `refused (${status})`}`));
}

if (args.message) {
  await send(args.message);
  await new Promise((r) => setTimeout(r, Number(args.wait) * 1000));
  graph.close();
  process.exit(0);
}

console.log('type a message as the lead; /button <id> <title>, /image <caption>, /location <name>, /dup, /quit');
const rl = readline.createInterface({ input: process.stdin, output: process.stdout, prompt: '> ' });
rl.prompt();
rl.on('line', async (line) => {
  if (line.trim() === '/quit') {
    rl.close();
    return;
  }
  if (line.trim()) await send(line);
  rl.prompt();
});
rl.on('close', () => {
  graph.close();
  process.exit(0);
});
