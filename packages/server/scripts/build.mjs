/**
 * Compiles the server for production: `node dist/main.js`, no TypeScript at run time.
 *
 * Each entry is bundled on its own with esbuild (our sources and @leaddesk/shared, which is
 * TypeScript; every npm dependency stays an import of node_modules, so native and wasm
 * packages such as argon2 and PGlite load as they do in development). Migrations are a
 * list in code (db/migrations/index.ts), so they are in the bundle.
 *
 * `--outdir DIR` builds elsewhere (tests build into a temporary folder instead of racing on dist/).
 */
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const pkgDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const outArg = process.argv.indexOf('--outdir');
const dist = path.resolve(outArg > 0 ? process.argv[outArg + 1] : path.join(pkgDir, 'dist'));

/** Output path (relative to dist) → source entry. The CLI names are the ones docs/deploy.md gives. */
const ENTRIES = {
  'main.js': 'src/main.ts',
  'instrument.js': 'src/observability/instrument.ts',
  'cli/migrate.js': 'src/cli/migrate.ts',
  'cli/create-admin.js': 'src/cli/create-admin.ts',
  'cli/onboard.js': 'src/cli/onboard.ts',
};

const pkg = JSON.parse(await readFile(path.join(pkgDir, 'package.json'), 'utf8'));
// Workspace packages are TypeScript sources: bundle them. Everything else comes from node_modules.
const external = Object.keys(pkg.dependencies ?? {}).filter((name) => !pkg.dependencies[name].startsWith('workspace:'));

/**
 * A few modules find files next to themselves (`import.meta.url`, e.g. the widget's dist folder at
 * src/http/../../../widget/dist). In a bundle, `import.meta.url` would be the bundle's own
 * location; this gives each module back the URL of its source file, relative to the output file,
 * so the build works wherever the repository layout is kept (the Docker image keeps it).
 */
function sourceLocation(outFile) {
  return {
    name: 'source-location',
    setup(build) {
      build.onLoad({ filter: /\.ts$/ }, async (args) => {
        const text = await readFile(args.path, 'utf8');
        if (!text.includes('import.meta.url')) return undefined;
        const rel = path.relative(path.dirname(outFile), args.path).split(path.sep).join('/');
        return {
          contents: text.replaceAll('import.meta.url', `new URL(${JSON.stringify(rel)}, import.meta.url).href`),
          loader: 'ts',
        };
      });
    },
  };
}

await rm(dist, { recursive: true, force: true });
const started = Date.now();
await Promise.all(
  Object.entries(ENTRIES).map(([out, entry]) => {
    const outfile = path.join(dist, out);
    return esbuild.build({
      entryPoints: [path.join(pkgDir, entry)],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      external,
      // MikroORM and error messages use class names.
      keepNames: true,
      sourcemap: true,
      // Bundled CommonJS helpers call require(); ESM output has none of its own.
      banner: {
        js: "import { createRequire as __ldCreateRequire } from 'node:module';const require = __ldCreateRequire(import.meta.url);",
      },
      plugins: [sourceLocation(outfile)],
      logLevel: 'warning',
    });
  }),
);
process.stdout.write(`server built into ${path.relative(process.cwd(), dist) || '.'} in ${Date.now() - started} ms\n`);
