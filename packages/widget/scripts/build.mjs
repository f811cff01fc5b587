/**
 * Builds the browser bundles into dist/:
 * - widget.<lang>.<hash>.js: the chat, one bundle per language (a visitor
 *   downloads only the strings it shows), content-hashed, cached for a year;
 * - loader.js, which knows the hash and the languages; its URL never changes;
 * - a `.br` (brotli, best quality) and `.gz` (gzip -9) twin of each, which the
 *   server picks by Accept-Encoding, so nothing is compressed per request.
 * CSS is compiled by Tailwind 4, adapted for Shadow DOM, and inlined as a string.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
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

/**
 * socket.io-client imports engine.io-client's index, which re-exports every
 * transport; the long-polling one has top-level side effects (a `pagehide`
 * listener, a CORS probe), so esbuild keeps it even though nothing uses it.
 * socket.io-client gets a shim with only what it uses instead; the transport
 * names it re-exports for its own public API are left undefined.
 */
const engineEntry = {
  name: 'engine.io-entry',
  setup(build) {
    build.onResolve({ filter: /^engine\.io-client$/ }, async (args) => {
      if (!args.importer.includes('socket.io-client')) return undefined;
      const real = await build.resolve('engine.io-client', { kind: args.kind, resolveDir: args.resolveDir });
      return { path: dirname(real.path), namespace: 'ld-engine' };
    });
    build.onLoad({ filter: /.*/, namespace: 'ld-engine' }, (args) => ({
      contents: [
        'export { Socket } from "./socket.js";',
        'export { installTimerFunctions } from "./util.js";',
        'export { parse } from "./contrib/parseuri.js";',
        'export { nextTick } from "./globals.js";',
        'export { WS as WebSocket } from "./transports/websocket.js";',
        'export const Fetch = undefined, NodeXHR = undefined, XHR = undefined, NodeWebSocket = undefined, WebTransport = undefined;',
      ].join('\n'),
      resolveDir: args.path,
      loader: 'js',
    }));
  },
};

/**
 * The widget and the server exchange JSON only, never binary attachments, so
 * socket.io-parser's binary packing (attachments split out of a packet and
 * stitched back) is replaced by "there is no binary here".
 */
const textOnlyParser = {
  name: 'socket.io-text-only',
  setup(build) {
    build.onResolve({ filter: /^\.\/(is-binary|binary)\.js$/ }, (args) =>
      args.importer.includes('socket.io-parser') ? { path: args.path, namespace: 'ld-text-only' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'ld-text-only' }, (args) => ({
      contents: args.path.includes('is-binary')
        ? 'export const isBinary = () => false, hasBinary = () => false;'
        : 'const no = () => { throw new Error("binary packets are not supported"); };\nexport const deconstructPacket = no, reconstructPacket = no;',
      loader: 'js',
    }));
  },
};

/** Points the chat's `./strings/current.js` at one language's table. */
const language = (lang) => ({
  name: 'leaddesk-language',
  setup(build) {
    build.onResolve({ filter: /^\.\/strings\/current\.js$/ }, (args) => ({
      path: join(args.resolveDir, 'strings', `${lang}.ts`),
    }));
  },
});

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);
/** The `.br` and `.gz` twins the server sends by content negotiation. */
async function precompress(file, bytes) {
  const [br, gz] = await Promise.all([
    brotli(bytes, {
      params: {
        [zlib.constants.BROTLI_PARAM_QUALITY]: zlib.constants.BROTLI_MAX_QUALITY,
        [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
      },
    }),
    gzip(bytes, { level: zlib.constants.Z_BEST_COMPRESSION }),
  ]);
  await Promise.all([writeFile(file, bytes), writeFile(`${file}.br`, br), writeFile(`${file}.gz`, gz)]);
}

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

const languages = (await readdir(join(pkg, 'src/chat/strings')))
  .map((f) => f.replace(/\.ts$/, ''))
  .filter((l) => /^[a-z]{2}$/.test(l))
  // English first: the loader falls back to the first language.
  .sort((a, b) => (a === 'en' ? -1 : b === 'en' ? 1 : a.localeCompare(b)));
const chats = await Promise.all(
  languages.map(async (lang) => {
    const result = await esbuild.build({
      ...common,
      entryPoints: [join(pkg, 'src/chat/main.tsx')],
      plugins: [websocketOnly, engineEntry, textOnlyParser, language(lang)],
      outfile: join(dist, `widget.${lang}.js`),
      define: { __LD_WIDGET_CSS__: JSON.stringify(widgetCss), 'process.env.NODE_ENV': '"production"' },
    });
    return { lang, code: result.outputFiles[0].contents };
  }),
);
// One hash over every language's bundle: the loader then carries one hash, not six.
const hasher = createHash('sha256');
for (const { code } of chats) hasher.update(code);
const hash = hasher.digest('hex').slice(0, 10);
const chatFiles = Object.fromEntries(chats.map(({ lang }) => [lang, `widget.${lang}.${hash}.js`]));
await Promise.all(chats.map(({ lang, code }) => precompress(join(dist, chatFiles[lang]), code)));

const loader = await esbuild.build({
  ...common,
  entryPoints: [join(pkg, 'src/loader/loader.ts')],
  outfile: join(dist, 'loader.js'),
  define: {
    __LD_LOADER_CSS__: JSON.stringify(loaderCss),
    __LD_CHAT_HASH__: JSON.stringify(hash),
    __LD_CHAT_LANGUAGES__: JSON.stringify(languages.join(' ')),
  },
});
await precompress(join(dist, 'loader.js'), loader.outputFiles[0].contents);
await writeFile(join(dist, 'manifest.json'), `${JSON.stringify({ loader: 'loader.js', chat: chatFiles }, null, 2)}\n`);

console.log(
  `widget built in ${Date.now() - started} ms: loader.js, widget.{${languages.join(',')}}.${hash}.js (+ .br, .gz)`,
);
