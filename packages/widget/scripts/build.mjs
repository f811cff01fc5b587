/**
 * Builds the two browser bundles into dist/:
 * - widget.<hash>.js (immutable, long cache) and widget.js (same bytes, stable name)
 * - loader.js, which knows the hashed widget file name.
 * CSS is compiled by Tailwind 4, adapted for Shadow DOM, and inlined as a string.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import tailwind from '@tailwindcss/postcss';
import * as esbuild from 'esbuild';
import postcss from 'postcss';
import { shadowDomCss } from './shadow-dom-css.mjs';

const pkg = join(dirname(fileURLToPath(import.meta.url)), '..');
// `--outdir DIR` lets tests build into their own folder instead of racing on dist/.
const outArg = process.argv.indexOf('--outdir');
const dist = outArg > 0 ? process.argv[outArg + 1] : join(pkg, 'dist');

async function compileCss(file, { keepLicense }) {
  const from = join(pkg, 'src/styles', file);
  const out = await postcss([tailwind({ base: pkg, optimize: { minify: true } }), shadowDomCss()]).process(
    await readFile(from, 'utf8'),
    { from },
  );
  // A final minify pass over what our plugin added.
  const { code } = await esbuild.transform(out.css, {
    loader: 'css',
    minify: true,
    // widget.js keeps Tailwind's notice; the 3 KB loader carries only a few generated utilities.
    legalComments: keepLicense ? 'inline' : 'none',
  });
  return code.trim();
}

/**
 * engine.io-client registers three transports (long-polling, WebSocket,
 * WebTransport) through one module; socket.io-client always pulls all three.
 * The widget only speaks WebSocket, so we swap that registry for one with
 * WebSocket alone and the other two are never bundled.
 */
const websocketOnly = {
  name: 'engine.io-websocket-only',
  setup(build) {
    build.onResolve({ filter: /^\.\/transports\/index\.js$/ }, (args) =>
      args.importer.includes(`${'engine.io-client'}`)
        ? { path: join(dirname(args.importer), 'transports'), namespace: 'ld-transports' }
        : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'ld-transports' }, (args) => ({
      contents: 'import { WS } from "./websocket.js"; export const transports = { websocket: WS };',
      resolveDir: args.path,
      loader: 'js',
    }));
  },
};

// Measured and left out: mangleProps: /^_/ saves only ~280 B gzip on widget.js
// and would rename socket.io's wire-level `_placeholder` and similar by accident.
const common = {
  bundle: true,
  minify: true,
  format: 'iife',
  target: ['es2020'],
  platform: 'browser',
  jsx: 'automatic',
  jsxImportSource: 'preact',
  legalComments: 'none',
  write: false,
  logLevel: 'warning',
};

const started = Date.now();
await rm(dist, { recursive: true, force: true });
await mkdir(dist, { recursive: true });

const [widgetCss, loaderCss] = await Promise.all([
  compileCss('widget.css', { keepLicense: true }),
  compileCss('loader.css', { keepLicense: false }),
]);

const widget = await esbuild.build({
  ...common,
  entryPoints: [join(pkg, 'src/chat/main.tsx')],
  plugins: [websocketOnly],
  outfile: join(dist, 'widget.js'),
  define: { __LD_WIDGET_CSS__: JSON.stringify(widgetCss), 'process.env.NODE_ENV': '"production"' },
});
const widgetCode = widget.outputFiles[0].contents;
const hash = createHash('sha256').update(widgetCode).digest('hex').slice(0, 10);
const widgetFile = `widget.${hash}.js`;
await writeFile(join(dist, widgetFile), widgetCode);
await writeFile(join(dist, 'widget.js'), widgetCode);

const loader = await esbuild.build({
  ...common,
  entryPoints: [join(pkg, 'src/loader/loader.ts')],
  outfile: join(dist, 'loader.js'),
  define: { __LD_LOADER_CSS__: JSON.stringify(loaderCss), __LD_WIDGET_FILE__: JSON.stringify(widgetFile) },
});
await writeFile(join(dist, 'loader.js'), loader.outputFiles[0].contents);
await writeFile(
  join(dist, 'manifest.json'),
  `${JSON.stringify({ loader: 'loader.js', widget: widgetFile }, null, 2)}\n`,
);

console.log(`widget built in ${Date.now() - started} ms: loader.js, ${widgetFile}`);
