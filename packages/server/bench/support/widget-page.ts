/**
 * The widget as a host page pays for it: the same article page with no widget,
 * with Lead Desk's snippet, and with two open-source chat widgets from npm
 * (@typebot.io/js and flowise-embed, devDependencies of the server), in
 * Chromium with the CPU throttled 4× (CDP Emulation.setCPUThrottlingRate).
 * Every script is served by the server's own widget asset handler from one
 * folder (brotli/gzip twins made here at best quality for the other two), so
 * compression and caching are the same for all. Fresh browser context per run
 * (cold cache). Measures bytes over the wire (CDP encodedDataLength, the
 * page's HTML excluded), main-thread script time (CDP Performance metrics,
 * ScriptDuration) and the page's load event, median of BENCH_PAGE_RUNS.
 * The other widgets' API calls go to the same local server and get 404s.
 */
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import express from 'express';
import pino from 'pino';
import { type Browser, launchChromium, type Page, startPageServer } from '../../../widget/test/support/browser.js';
import { buildWidget } from '../../../widget/test/support/build-widget.js';
import { widgetAssets } from '../../src/http/widget-assets.js';
import { percentile, round } from './results.js';

const RUNS = Number(process.env.BENCH_PAGE_RUNS ?? 5);
/** How long after the load event work is still counted (async scripts, first idle). */
const SETTLE_MS = Number(process.env.BENCH_PAGE_SETTLE_MS ?? 3000);
/** This package's node_modules: the widgets' packages do not export their dist files. */
const NODE_MODULES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../node_modules');

interface Sample {
  bytes: number;
  requests: number;
  scriptMs: number;
  loadMs: number;
}

export interface PageScenario {
  name: string;
  /** What the host page embeds, given the asset server's origin. */
  snippet: (assets: string) => string;
  /** Something the visitor does after the load event (e.g. hover the launcher). */
  act?: (page: Page) => Promise<void>;
}

const ARTICLE = `<main><h1>Harbor View Hotel</h1>${'<p>Rooms by the sea, breakfast on the terrace, and a short walk to the old town. '.repeat(3)}</p></main>`;

async function precompressInto(dir: string, name: string, source: string): Promise<number> {
  const raw = await readFile(source);
  await writeFile(path.join(dir, name), raw);
  await writeFile(
    path.join(dir, `${name}.br`),
    brotliCompressSync(raw, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        [constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
      },
    }),
  );
  await writeFile(path.join(dir, `${name}.gz`), gzipSync(raw, { level: 9 }));
  return raw.length;
}

async function measureOnce(browser: Browser, url: string, scenario: PageScenario): Promise<Sample> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Performance.enable');
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    let documentId: string | undefined;
    let bytes = 0;
    let requests = 0;
    cdp.on('Network.requestWillBeSent', (e) => {
      if (e.type === 'Document' && !documentId) documentId = e.requestId;
      requests++;
    });
    cdp.on('Network.loadingFinished', (e) => {
      if (e.requestId !== documentId) bytes += e.encodedDataLength;
    });
    cdp.on('Network.webSocketFrameReceived', (e) => {
      bytes += e.response.payloadData.length;
    });
    const scriptBefore = await scriptSeconds(cdp);
    await page.goto(url, { waitUntil: 'load' });
    if (scenario.act) await scenario.act(page);
    await page.waitForTimeout(SETTLE_MS);
    const scriptMs = ((await scriptSeconds(cdp)) - scriptBefore) * 1000;
    // A string: this package's TypeScript has no DOM types.
    const loadMs = (await page.evaluate('performance.getEntriesByType("navigation")[0].loadEventStart')) as number;
    // The document's own request is not the widget's.
    return { bytes, requests: requests - 1, scriptMs, loadMs };
  } finally {
    await context.close();
  }
}

async function scriptSeconds(cdp: {
  send(m: 'Performance.getMetrics'): Promise<{ metrics: { name: string; value: number }[] }>;
}) {
  const { metrics } = await cdp.send('Performance.getMetrics');
  return metrics.find((m) => m.name === 'ScriptDuration')?.value ?? 0;
}

export interface PageBenchResult {
  scenario: string;
  bytes: number;
  requests: number;
  scriptMs: number;
  loadMs: number;
  runs: number;
}

export async function runWidgetPageBench(): Promise<{ results: PageBenchResult[]; rawSizes: Record<string, number> }> {
  const dist = await buildWidget();
  const rawSizes: Record<string, number> = {};
  rawSizes['typebot web.js'] = await precompressInto(
    dist,
    'typebot-web.js',
    path.join(NODE_MODULES, '@typebot.io/js/dist/web.js'),
  );
  rawSizes['flowise web.js'] = await precompressInto(
    dist,
    'flowise-web.js',
    path.join(NODE_MODULES, 'flowise-embed/dist/web.js'),
  );
  const manifest = JSON.parse(await readFile(path.join(dist, 'manifest.json'), 'utf8')) as {
    chat: Record<string, string>;
  };
  rawSizes['lead desk loader.js'] = (await readFile(path.join(dist, 'loader.js'))).length;
  rawSizes['lead desk chat (en)'] = (await readFile(path.join(dist, manifest.chat.en!))).length;

  // The real asset handler, alone on a port: what a host page talks to.
  const app = express();
  app.use('/widget', widgetAssets({ distDir: dist, logger: pino({ level: 'silent' }) }));
  app.use((_req, res) => res.status(404).json({ error: 'not found' }));
  const assetServer = await new Promise<import('node:http').Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const assets = `http://localhost:${(assetServer.address() as AddressInfo).port}`;

  const scenarios: PageScenario[] = [
    { name: 'no widget', snippet: () => '' },
    {
      name: 'lead desk (page view)',
      snippet: (a) => `<script src="${a}/widget/loader.js" data-site-key="pk_bench" async></script>`,
    },
    {
      name: 'lead desk (hover: chat loaded)',
      snippet: (a) => `<script src="${a}/widget/loader.js" data-site-key="pk_bench" async></script>`,
      act: async (page) => {
        await page.locator('leaddesk-widget button').hover();
        await page.waitForFunction(
          'performance.getEntriesByType("resource").some((r) => /widget\\.[a-z]{2}\\.[0-9a-f]+\\.js$/.test(r.name))',
        );
      },
    },
    {
      name: 'typebot (@typebot.io/js)',
      snippet: (a) =>
        `<script type="module">import Typebot from "${a}/widget/typebot-web.js"; Typebot.initBubble({ typebot: "bench", apiHost: "${a}" });</script>`,
    },
    {
      name: 'flowise (flowise-embed)',
      snippet: (a) =>
        `<script type="module">import Chatbot from "${a}/widget/flowise-web.js"; Chatbot.init({ chatflowid: "bench", apiHost: "${a}" });</script>`,
    },
  ];
  const pages = await startPageServer(
    Object.fromEntries(
      scenarios.map((s, i) => [
        `/${i}`,
        () =>
          `<!doctype html><html><head><meta charset="utf-8"><title>Host</title></head><body>${ARTICLE}${s.snippet(assets)}</body></html>`,
      ]),
    ),
  );
  const browser = await launchChromium();
  const results: PageBenchResult[] = [];
  try {
    // One warm-up run each so no scenario pays for the browser's first start.
    for (const [i, s] of scenarios.entries()) await measureOnce(browser, `${pages.origin}/${i}`, s);
    const samples = scenarios.map(() => [] as Sample[]);
    // Interleaved, so a busy moment on the machine hits every scenario alike.
    for (let run = 0; run < RUNS; run++) {
      for (const [i, s] of scenarios.entries()) samples[i]!.push(await measureOnce(browser, `${pages.origin}/${i}`, s));
    }
    for (const [i, s] of scenarios.entries()) {
      const median = (pick: (x: Sample) => number) => round(percentile(samples[i]!.map(pick), 50), 1);
      results.push({
        scenario: s.name,
        bytes: median((x) => x.bytes),
        requests: median((x) => x.requests),
        scriptMs: median((x) => x.scriptMs),
        loadMs: median((x) => x.loadMs),
        runs: RUNS,
      });
    }
  } finally {
    await browser.close();
    await pages.close();
    assetServer.closeAllConnections();
    await new Promise((r) => assetServer.close(r));
    await rm(dist, { recursive: true, force: true });
  }
  return { results, rawSizes };
}

/** Prints the table and the ratios of each other widget to Lead Desk's page view. */
export function printPageBench({ results, rawSizes }: Awaited<ReturnType<typeof runWidgetPageBench>>): void {
  console.log(`\nhost page, Chromium, CPU 4× throttled, cold cache, median of ${results[0]?.runs} runs`);
  console.log(
    `${'scenario'.padEnd(32)} ${'bytes'.padStart(9)} ${'requests'.padStart(9)} ${'script ms'.padStart(10)} ${'load ms'.padStart(9)}`,
  );
  for (const r of results) {
    console.log(
      `${r.scenario.padEnd(32)} ${String(r.bytes).padStart(9)} ${String(r.requests).padStart(9)} ${String(r.scriptMs).padStart(10)} ${String(r.loadMs).padStart(9)}`,
    );
  }
  const base = results.find((r) => r.scenario === 'no widget')!;
  const ours = results.find((r) => r.scenario === 'lead desk (page view)')!;
  const opened = results.find((r) => r.scenario.startsWith('lead desk (hover'))!;
  console.log('\nratios (other widget ÷ lead desk; script time over the page without a widget)');
  for (const r of results.filter((x) => !x.scenario.startsWith('lead desk') && x !== base)) {
    const script = (x: PageBenchResult) => Math.max(0.1, x.scriptMs - base.scriptMs);
    console.log(
      `${r.scenario.padEnd(32)} bytes ×${round(r.bytes / ours.bytes, 1)} (×${round(r.bytes / opened.bytes, 1)} vs chat loaded)  script ×${round(script(r) / script(ours), 1)} (×${round(script(r) / script(opened), 1)} vs chat loaded)  load event +${round(r.loadMs - base.loadMs, 1)} ms vs lead desk +${round(ours.loadMs - base.loadMs, 1)} ms`,
    );
  }
  console.log(
    `raw sizes: ${Object.entries(rawSizes)
      .map(([k, v]) => `${k} ${v} B`)
      .join(', ')}`,
  );
}
