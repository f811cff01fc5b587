#!/usr/bin/env node
/**
 * Removes from a production node_modules what the server never reads at run time, for the image
 * (deploy/Dockerfile's build stage runs it after the `--prod` install):
 *
 * - files Node 20 never loads: type declarations, source maps, Markdown, TypeScript sources that
 *   SDKs ship next to their JavaScript (Node 20 cannot run them), test, example and benchmark folders;
 * - build-time packages that production dependencies declare: @sentry/node depends on its bundler
 *   plugins (the `@sentry/node/{vite,rollup,webpack,esbuild}` entries, never imported by a server),
 *   which bring the Sentry CLI and the oxc parser (~27 MB);
 * - variants of a package the server does not import: js-tiktoken's all-encodings bundle and the
 *   encodings other than cl100k_base (the server imports `js-tiktoken/lite` and that one rank file),
 *   tinyld's heavy and browser builds (the server imports `tinyld`, the normal Node build).
 *
 * deploy/docker-build-steps.mjs then imports every package the server's bundles import, from the
 * pruned tree, so a removal that something needs fails the build check rather than a deployment.
 *
 *   node deploy/prune-node-modules.mjs [node_modules]     (default: ./node_modules)
 */
import fs from 'node:fs';
import path from 'node:path';

const FILE_PATTERNS = [/\.d\.[cm]?ts$/, /\.(map|md|markdown)$/i, /\.[cm]?tsx?$/];
const DIRECTORY_NAMES = new Set(['__tests__', 'test', 'tests', 'example', 'examples', 'benchmark', '.github']);

/** Folders of the pnpm virtual store (`.pnpm/<name>@<version>...`) that no run-time code imports. */
const BUILD_TIME_PACKAGES = [
  /^@sentry\+bundler-plugins@/,
  /^sentry@/,
  /^oxc-parser@/,
  /^@oxc-parser\+/,
  /^@oxc-project\+/,
];

/** Files of packages the server imports only in part (paths inside the package folder). */
const UNUSED_VARIANTS = {
  'js-tiktoken': [/^dist\/index\.c?js$/, /^dist\/ranks\/(?!cl100k_base\.c?js$)/],
  tinyld: [/^dist\/tinyld\.heavy\./, /^dist\/tinyld\.light\.browser\./, /^dist\/tinyld\.normal\.browser\./],
};

function sizeOf(p) {
  const st = fs.lstatSync(p);
  if (!st.isDirectory()) return st.size;
  let total = 0;
  for (const entry of fs.readdirSync(p)) total += sizeOf(path.join(p, entry));
  return total;
}

function remove(p) {
  const bytes = sizeOf(p);
  fs.rmSync(p, { recursive: true, force: true });
  return bytes;
}

/** Walks a package tree (not following symlinks: pnpm links every package into .pnpm once). */
function pruneFiles(dir) {
  let freed = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isSymbolicLink()) continue;
    if (entry.isDirectory()) {
      freed += DIRECTORY_NAMES.has(entry.name) ? remove(p) : pruneFiles(p);
    } else if (FILE_PATTERNS.some((re) => re.test(entry.name))) {
      freed += remove(p);
    }
  }
  return freed;
}

function pruneVariants(store) {
  let freed = 0;
  for (const folder of fs.readdirSync(store)) {
    for (const [name, patterns] of Object.entries(UNUSED_VARIANTS)) {
      if (!folder.startsWith(`${name.replace('/', '+')}@`)) continue;
      const root = path.join(store, folder, 'node_modules', name);
      const walk = (rel) => {
        for (const entry of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
          const r = rel ? `${rel}/${entry.name}` : entry.name;
          if (entry.isDirectory()) walk(r);
          else if (patterns.some((re) => re.test(r))) freed += remove(path.join(root, r));
        }
      };
      if (fs.existsSync(root)) walk('');
    }
  }
  return freed;
}

export function pruneNodeModules(nodeModules) {
  const store = path.join(nodeModules, '.pnpm');
  if (!fs.existsSync(store)) throw new Error(`${store}: not a pnpm node_modules`);
  const before = sizeOf(nodeModules);
  let packages = 0;
  for (const folder of fs.readdirSync(store)) {
    if (BUILD_TIME_PACKAGES.some((re) => re.test(folder))) packages += remove(path.join(store, folder));
  }
  const variants = pruneVariants(store);
  const files = pruneFiles(store);
  return { before, after: sizeOf(nodeModules), packages, variants, files };
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  const target = path.resolve(process.argv[2] ?? 'node_modules');
  const r = pruneNodeModules(target);
  const mb = (n) => `${(n / 1e6).toFixed(1)} MB`;
  process.stdout.write(
    `pruned ${target}: ${mb(r.before)} → ${mb(r.after)} (build-time packages ${mb(r.packages)}, unused variants ${mb(r.variants)}, files ${mb(r.files)})\n`,
  );
}
