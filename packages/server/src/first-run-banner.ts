import type { DemoSeed } from './tenants/seed-demo.js';

export interface FirstRunBannerOptions {
  url: string;
  demo: DemoSeed;
  /** The demo page is served outside production only. */
  demoPage: boolean;
}

/**
 * What a first `pnpm start` prints once, to the terminal only (it holds the
 * API key and the demo password): where to try the product and how to sign in.
 */
export function firstRunBanner({ url, demo, demoPage }: FirstRunBannerOptions): string {
  const { client, apiKey, staffEmail, staffPassword, starterKnowledge, history } = demo;
  const languages = starterKnowledge.map((k) => k.language).join(', ');
  return `${[
    '',
    '  Demo client created (first run)',
    `    client:       ${client.name} (${client.slug})`,
    `    API key:      ${apiKey}   (shown once)`,
    `    site key:     ${client.siteKey}`,
    `    staff login:  ${staffEmail} / ${staffPassword}`,
    ...(demoPage ? [`    demo page:    ${url}/demo/   (chat with the demo clinic)`] : []),
    `    dashboard:    ${url}/dashboard/   (sign in with the staff login)`,
    ...(starterKnowledge.length
      ? [`    knowledge:    ${starterKnowledge.length} starter knowledge bases (${languages})`]
      : []),
    `    history:      ${history.conversations} conversations, ${history.leads} leads, ${history.escalations} escalations over the last 30 days (seeded in ${demo.seedMs} ms, history ${demo.historyMs} ms)`,
    `    health:       ${url}/healthz`,
    `    API docs:     ${url}/api/v1/openapi.json`,
    '',
  ].join('\n')}\n`;
}
