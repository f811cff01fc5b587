/**
 * Builds the dashboard into dist/: app.<hash>.js (Preact app, one bundle),
 * app.<hash>.css (Tailwind 4) and index.html pointing at both, so the hashed
 * files can be cached for a year and index.html never.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import tailwind from '@tailwindcss/postcss';
import * as esbuild from 'esbuild';
import postcss from 'postcss';

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
  entryPoints: [join(pkg, 'src/main.tsx')],
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
  alias: { react: 'preact/compat', 'react-dom': 'preact/compat' },
});
const code = js.outputFiles[0].text;
const jsName = `app.${hash(code)}.js`;
const cssName = `app.${hash(css.css)}.css`;
await writeFile(join(dist, jsName), code);
await writeFile(join(dist, cssName), css.css);
await writeFile(
  join(dist, 'index.html'),
  `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="theme-color" content="#0f172a">
<title>Lead Desk</title>
<link rel="stylesheet" href="/dashboard/${cssName}">
</head>
<body class="bg-slate-50 text-slate-900 antialiased">
<div id="app"></div>
<script src="/dashboard/${jsName}"></script>
</body>
</html>
`,
);
console.log(
  `dashboard built in ${Date.now() - started} ms: ${jsName} ${(code.length / 1024).toFixed(0)} KB, ${cssName} ${(css.css.length / 1024).toFixed(0)} KB`,
);
