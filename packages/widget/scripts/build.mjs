/**
 * Builds the browser bundles into dist/:
 * - widget.<lang>.<hash>.js: the chat, one bundle per language (a visitor
 *   downloads only the strings it shows), content-hashed, cached for a year;
 * - loader.js, which knows the hash and the languages; its URL never changes;
 * - loader.legacy.js: the same plus the deprecated platform-named aliases
 *   (window.LeadDesk, <leaddesk-widget>, leaddesk:ready), which the server sends
 *   as /widget/loader.js only on an unbranded deployment's own host;
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

/** Points the chat's `./strings/current.js` at one language's table. */
const language = (lang) => ({
  name: 'chat-language',
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

// Measured and left out: mangleProps: /^_/ saves only ~300 B brotli on the chat.
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
      plugins: [language(lang)],
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

const loaders = { loader: 'loader.js', legacyLoader: 'loader.legacy.js' };
await Promise.all(
  Object.entries(loaders).map(async ([kind, file]) => {
    const loader = await esbuild.build({
      ...common,
      entryPoints: [join(pkg, 'src/loader/loader.ts')],
      outfile: join(dist, file),
      define: {
        __LD_LOADER_CSS__: JSON.stringify(loaderCss),
        __LD_CHAT_HASH__: JSON.stringify(hash),
        __LD_CHAT_LANGUAGES__: JSON.stringify(languages.join(' ')),
        __LD_LEGACY__: String(kind === 'legacyLoader'),
      },
    });
    await precompress(join(dist, file), loader.outputFiles[0].contents);
  }),
);
await writeFile(join(dist, 'manifest.json'), `${JSON.stringify({ ...loaders, chat: chatFiles }, null, 2)}\n`);

console.log(
  `widget built in ${Date.now() - started} ms: loader.js, loader.legacy.js, widget.{${languages.join(',')}}.${hash}.js (+ .br, .gz)`,
);
