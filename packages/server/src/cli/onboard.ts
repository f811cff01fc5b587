/**
 * `pnpm onboard --name "Sunset Dental" --industry dental [--json]`
 * Creates a client from an industry template, with the template's starter
 * knowledge bases (six languages; `--no-starter-knowledge` for none), and
 * prints its keys (shown once), the widget snippet and the webhook URLs. Safe while `pnpm start` runs on the
 * embedded database: it then writes through the server's socket.
 */
import { parseArgs } from 'node:util';
import { INDUSTRIES, PLANS, type Plan } from '@leaddesk/shared';
import { AppError } from '../errors/app-error.js';
import { INDUSTRY_TEMPLATES, resolveIndustry } from '../tenants/industry-templates.js';
import { cliStarterIngest } from '../tenants/starter-knowledge/cli-ingest.js';
import { createClient } from '../tenants/tenant-service.js';
import { CliError, EXIT, runCli } from './cli-runtime.js';

const USAGE = `usage: pnpm onboard --name "Business name" --industry <${Object.keys(INDUSTRY_TEMPLATES).join('|')}>
       [--origin https://www.example.com]... [--timezone Europe/Madrid] [--locale es-ES]
       [--plan ${PLANS.join('|')}] [--public-url https://leads.example.com] [--no-starter-knowledge] [--json]`;

function parse() {
  try {
    return parseArgs({
      options: {
        name: { type: 'string' },
        industry: { type: 'string' },
        origin: { type: 'string', multiple: true },
        timezone: { type: 'string' },
        locale: { type: 'string' },
        plan: { type: 'string' },
        'public-url': { type: 'string' },
        'no-starter-knowledge': { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
      strict: true,
    }).values;
  } catch (err) {
    throw new CliError(`${(err as Error).message}\n${USAGE}`);
  }
}

function validate() {
  const args = parse();
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(EXIT.ok);
  }
  const problems: string[] = [];
  if (!args.name?.trim()) problems.push('--name is required');
  const industry = args.industry ? resolveIndustry(args.industry) : undefined;
  if (!industry) problems.push(`--industry must be one of: ${INDUSTRIES.join(', ')}`);
  if (args.plan && !PLANS.includes(args.plan as Plan)) problems.push(`--plan must be one of: ${PLANS.join(', ')}`);
  if (args.timezone) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: args.timezone });
    } catch {
      problems.push(`--timezone "${args.timezone}" is not an IANA time zone`);
    }
  }
  if (problems.length) throw new CliError(`${problems.join('\n')}\n${USAGE}`);
  return { args, industry: industry! };
}

await runCli('onboard', validate, async ({ config, db, logger, input: { args, industry } }) => {
  let created: Awaited<ReturnType<typeof createClient>>;
  const starter = cliStarterIngest({ config, db, logger });
  try {
    created = await createClient(
      db.orm.em.fork(),
      {
        name: args.name!,
        industry: industry!,
        timezone: args.timezone,
        locale: args.locale,
        plan: args.plan as Plan | undefined,
        allowedOrigins: args.origin ?? [],
        starterKnowledge: !args['no-starter-knowledge'],
      },
      { ingest: starter.ingest },
    );
    await starter.finish(created.starterKnowledge.length > 0);
  } catch (err) {
    if (err instanceof AppError) throw new CliError(err.message, EXIT.dataErr);
    throw err;
  }
  const { client, apiKey, starterKnowledge } = created;
  const base = (args['public-url'] ?? config.http.publicUrl ?? `http://localhost:${config.http.port}`).replace(
    /\/$/,
    '',
  );
  const snippet = `<script src="${base}/widget/loader.js" data-site-key="${client.siteKey}" async></script>`;
  const webhooks = {
    webForm: `${base}/webhooks/web-form`,
    whatsapp: `${base}/webhooks/whatsapp`,
    missedCall: `${base}/webhooks/missed-call`,
    sms: `${base}/webhooks/sms`,
  };
  if (args.json) {
    process.stdout.write(
      `${JSON.stringify({
        clientId: client.id,
        slug: client.slug,
        name: client.name,
        industry: client.industry,
        apiKey,
        siteKey: client.siteKey,
        allowedOrigins: client.allowedOrigins,
        starterKnowledge,
        snippet,
        webhooks,
      })}\n`,
    );
    return;
  }
  process.stdout.write(
    [
      `Created client "${client.name}" (${client.slug}) from the ${INDUSTRY_TEMPLATES[industry!].label} template.`,
      '',
      `  Client id: ${client.id}`,
      `  API key:   ${apiKey}`,
      '             (shown once: store it now; only its hash is kept)',
      `  Site key:  ${client.siteKey}`,
      `  Origins:   ${client.allowedOrigins.length ? client.allowedOrigins.join(', ') : '(none yet: add your website with PATCH /api/v1/client)'}`,
      `  Knowledge: ${starterKnowledge.length ? `${starterKnowledge.length} starter knowledge bases (${starterKnowledge.map((k) => k.language).join(', ')}): edit them in the dashboard` : '(none)'}`,
      '',
      'Widget snippet (paste before </body>):',
      `  ${snippet}`,
      '',
      'Webhook URLs:',
      ...Object.entries(webhooks).map(([k, v]) => `  ${k.padEnd(11)} ${v}`),
      '',
    ].join('\n'),
  );
});
