/**
 * Builds the dashboard into dist/: ES modules split by esbuild (`splitting`):
 * the entry `app.<hash>.js` (sign-in, shell, inbox), one chunk per lazily
 * loaded page (`<page>.<hash>.js`) and the chunks they share
 * (`chunk.<hash>.js`); `app.<hash>.css` (Tailwind 4); `index.html` pointing
 * at the entry with a modulepreload for each chunk it imports; and
 * `manifest.json` (entry, css, initial files, page chunks) for the size budget.
 * Every name but index.html and manifest.json carries a content hash, so those
 * files are cached for a year and index.html never.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import tailwind from '@tailwindcss/postcss';
import * as esbuild from 'esbuild';
import postcss from 'postcss';
import { BUDGETS } from './budgets.mjs';

const pkg = join(dirname(fileURLToPath(import.meta.url)), '..');
const outArg = process.argv.indexOf('--outdir');
const dist = outArg > 0 ? process.argv[outArg + 1] : join(pkg, 'dist');
const hash = (s) => createHash('sha256').update(s).digest('hex').slice(0, 10);

const started = Date.now();
await rm(dist, { recursive: true, force: true });
await mkdir(dist, { recursive: true });

const cssFrom = join(pkg, 'src/styles/app.css');
const css = await postcss([tailwind({ base: pkg, optimize: { minify: true } })]).process(
  await readFile(cssFrom, 'utf8'),
  {
    from: cssFrom,
  },
);

const js = await esbuild.build({
  entryPoints: { app: join(pkg, 'src/main.tsx') },
  bundle: true,
  splitting: true,
  format: 'esm',
  outdir: dist,
  // esbuild's content hash (8 characters of base32) covers the file and the names of the chunks it imports.
  entryNames: '[name].[hash]',
  chunkNames: '[name].[hash]',
  minify: true,
  target: ['es2020'],
  platform: 'browser',
  jsx: 'automatic',
  jsxImportSource: 'preact',
  legalComments: 'none',
  metafile: true,
  write: true,
  logLevel: 'warning',
  alias: { react: 'preact/compat', 'react-dom': 'preact/compat' },
});

const outputs = js.metafile.outputs;
const name = (file) => basename(file);
// The app's own entry: lazily imported pages are entry points in the metafile too, and may come first.
const [entryFile] = Object.entries(outputs).find(([, o]) => o.entryPoint?.endsWith('src/main.tsx')) ?? [];
if (!entryFile) throw new Error('esbuild produced no entry');
/** Files the entry imports statically, transitively: what the first page load fetches. */
const initial = [];
const visit = (file) => {
  if (initial.includes(name(file))) return;
  initial.push(name(file));
  for (const imp of outputs[file].imports) if (imp.kind === 'import-statement') visit(imp.path);
};
visit(entryFile);
/** Chunks loaded by `import()`, named after the page module they hold. */
const pages = {};
for (const imp of outputs[entryFile].imports) {
  if (imp.kind !== 'dynamic-import') continue;
  const entry = outputs[imp.path]?.entryPoint;
  if (entry) pages[basename(entry).replace(/\.[jt]sx?$/, '')] = name(imp.path);
}

const cssName = `app.${hash(css.css)}.css`;
await writeFile(join(dist, cssName), css.css);
const entryName = name(entryFile);
const preloads = initial.filter((f) => f !== entryName);
await writeFile(
  join(dist, 'manifest.json'),
  `${JSON.stringify({ entry: entryName, css: cssName, initial: [...initial, cssName], pages }, null, 2)}\n`,
);
await writeFile(
  join(dist, 'index.html'),
  `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="theme-color" content="#0f172a">
<title></title>
<link rel="stylesheet" href="/dashboard/${cssName}">
${preloads.map((f) => `<link rel="modulepreload" href="/dashboard/${f}">`).join('\n')}
<script type="module" src="/dashboard/${entryName}"></script>
</head>
<body class="bg-slate-50 text-slate-900 antialiased">
<div id="app"></div>
</body>
</html>
`,
);
const gz = async (files) => {
  let sum = 0;
  for (const f of files) sum += gzipSync(await readFile(join(dist, f)), { level: 9 }).length;
  return sum;
};
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const everything = [...Object.keys(outputs).map(name), cssName].filter((f) => !f.endsWith('.map'));
const [initialGz, totalGz] = [await gz([...initial, cssName]), await gz(everything)];
console.log(
  `dashboard built in ${Date.now() - started} ms → ${relative(pkg, dist) || dist}: entry ${entryName}, ` +
    `${preloads.length} chunk(s) it imports, ${Object.keys(pages).length} lazy pages; gzip -9: ` +
    `initial load ${kb(initialGz)} (budget ${kb(BUDGETS.initial)}), all files ${kb(totalGz)} (budget ${kb(BUDGETS.total)})`,
);
