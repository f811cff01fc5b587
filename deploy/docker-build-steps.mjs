#!/usr/bin/env node
/**
 * Runs deploy/Dockerfile's build without Docker, to check what can be checked where no daemon runs:
 * the repository is copied as the build context would be (.dockerignore applied by copying only
 * what git tracks or would track), the RUN steps of the `fetch` and `build` stages are executed
 * in that copy as written (pnpm told to prefer its local store), and the runtime stage's
 * `COPY --from=build` lines assemble the image's /app. Prints the directory and the sizes.
 *
 *   node deploy/docker-build-steps.mjs [--keep]      → prints `runtime: <dir>` (removed unless --keep)
 *
 * Not checked here: the base images, `corepack enable`, USER, HEALTHCHECK and CMD (the test
 * starts the assembled runtime with the CMD's arguments itself).
 */
import { execFileSync, execSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const keep = process.argv.includes('--keep');

/** Dockerfile instructions with line continuations joined, grouped by stage name. */
export function parseDockerfile(text) {
  const lines = text.replace(/\\\n\s*/g, ' ').split('\n');
  const stages = [];
  for (const raw of lines) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const [, op, rest] = line.match(/^(\w+)\s+(.*)$/) ?? [];
    if (!op) continue;
    if (op.toUpperCase() === 'FROM') {
      const name = rest.match(/\sAS\s+(\S+)/i)?.[1] ?? `stage${stages.length}`;
      stages.push({ name, from: rest.split(/\s+/)[0], steps: [] });
    } else {
      stages.at(-1)?.steps.push({ op: op.toUpperCase(), args: rest });
    }
  }
  return stages;
}

/** The files a `docker build .` context holds: tracked and untracked-but-not-ignored files. */
function contextFiles() {
  const out = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: repo });
  return out
    .toString('utf8')
    .split('\0')
    .filter((f) => f && fs.existsSync(path.join(repo, f)));
}

function copyFromContext(sources, dest, workdir) {
  const files = contextFiles();
  for (const src of sources) {
    const wanted = src === '.' ? files : files.filter((f) => f === src || f.startsWith(`${src}/`));
    if (!wanted.length) throw new Error(`COPY ${src}: nothing in the build context`);
    for (const f of wanted) {
      const target = path.join(workdir, dest === './' || dest === '.' ? '' : dest, src === '.' ? f : path.basename(f));
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.copyFileSync(path.join(repo, f), target);
    }
  }
}

/** pnpm as the Dockerfile calls it, but preferring the local store (no registry round trips when it has the files). */
function localised(command) {
  return command.replace(/--mount=\S+\s+/g, '').replace(/\b(pnpm (?:fetch|install))\b/g, '$1 --prefer-offline');
}

/**
 * Bytes the image's COPY layers add: every file's size and every symlink's target length, as the
 * layer tarballs hold them (uncompressed; tar headers aside). Hard links and disk blocks do not count.
 */
export function layerBytes(dir) {
  let total = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isSymbolicLink()) total += fs.readlinkSync(p).length;
    else if (entry.isDirectory()) total += layerBytes(p);
    else total += fs.statSync(p).size;
  }
  return total;
}

/** Every package the server's bundles import (statically or with `import()`), as written in them. */
export function bundleImports(distDir) {
  const specifiers = new Set();
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.name.endsWith('.js')) {
        const text = fs.readFileSync(p, 'utf8');
        // An import statement ends at the specifier (`;` or a line end) and `import("x")` closes its call;
        // SQL in the bundles (`delete from "conversation_events" where …`) does neither.
        for (const m of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|^import\s*)"([^"]+)"(?=\s*[;)]|\s*$)/gm)) {
          const spec = m[1];
          if (/^(node:|\.|\/)/.test(spec) || !/^(@[\w.-]+\/)?[\w.-]+(\/[\w./-]+)?$/.test(spec)) continue;
          specifiers.add(spec);
        }
      }
    }
  };
  walk(distDir);
  return [...specifiers].sort();
}

/**
 * Imports each of the bundles' packages from the runtime files (a child process in the server's
 * folder, as the image runs it): a pruned file something needs fails here. Returns the failures.
 */
export function checkImports(serverDir) {
  const specifiers = bundleImports(path.join(serverDir, 'dist'));
  const script = `const failed = [];
for (const s of ${JSON.stringify(specifiers)}) {
  try { await import(s); } catch (err) { failed.push(s + ': ' + String(err && err.message).split('\\n')[0]); }
}
process.stdout.write(JSON.stringify(failed));
process.exit(0);`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: serverDir,
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production' },
  });
  return { specifiers, failed: JSON.parse(out.toString()) };
}

export function runBuildSteps() {
  const stages = parseDockerfile(fs.readFileSync(path.join(repo, 'deploy/Dockerfile'), 'utf8'));
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ld-docker-'));
  const app = path.join(root, 'build', 'app');
  fs.mkdirSync(app, { recursive: true });
  const env = { ...process.env, CI: 'true' };
  for (const stage of stages.filter((s) => s.name === 'fetch' || s.name === 'build')) {
    for (const step of stage.steps) {
      if (step.op === 'COPY') {
        const parts = step.args.split(/\s+/);
        copyFromContext(parts.slice(0, -1), parts.at(-1), app);
      } else if (step.op === 'RUN') {
        const command = localised(step.args);
        process.stdout.write(`[${stage.name}] RUN ${command}\n`);
        execSync(command, { cwd: app, env, stdio: ['ignore', 'inherit', 'inherit'] });
      } else if (step.op === 'ENV') {
        for (const [, k, v] of step.args.matchAll(/(\w+)=(\S+)/g)) env[k] = v;
      }
    }
  }
  // The runtime stage: only what it copies from the build stage.
  const runtime = path.join(root, 'runtime', 'app');
  const runtimeStage = stages.find((s) => s.name === 'runtime');
  for (const step of runtimeStage.steps) {
    if (step.op !== 'COPY') continue;
    const m = step.args.match(/--from=build\s+(\S+)\s+(\S+)/);
    if (!m) throw new Error(`runtime COPY not from the build stage: ${step.args}`);
    const from = path.join(app, path.relative('/app', m[1]));
    const to = path.join(runtime, path.relative('/app', path.resolve('/app', m[2])));
    fs.mkdirSync(path.dirname(to), { recursive: true });
    // verbatimSymlinks: pnpm's node_modules are relative symlinks, as Docker's COPY keeps them.
    fs.cpSync(from, to, { recursive: true, verbatimSymlinks: true });
  }
  const workdir = runtimeStage.steps.filter((s) => s.op === 'WORKDIR').at(-1)?.args ?? '/app';
  const cmd = JSON.parse(runtimeStage.steps.find((s) => s.op === 'CMD').args);
  return {
    root,
    runtime,
    workdir: path.join(runtime, path.relative('/app', workdir)),
    cmd,
    sizes: {
      runtimeBytes: layerBytes(runtime),
      nodeModulesBytes: layerBytes(path.join(runtime, 'node_modules')),
      distBytes: ['server', 'widget', 'dashboard'].reduce(
        (n, p) => n + layerBytes(path.join(runtime, 'packages', p, 'dist')),
        0,
      ),
    },
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const result = runBuildSteps();
  const mb = (n) => `${(n / 1e6).toFixed(1)} MB`;
  const imports = checkImports(result.workdir);
  process.stdout.write(
    `runtime: ${result.runtime} (${mb(result.sizes.runtimeBytes)} in the COPY layers: node_modules ${mb(result.sizes.nodeModulesBytes)}, builds ${mb(result.sizes.distBytes)})\n` +
      `imports: ${imports.specifiers.length} packages the bundles import, ${imports.failed.length} failed${imports.failed.length ? `: ${imports.failed.join('; ')}` : ''}\n` +
      `start:   cd ${result.workdir} && ${result.cmd.join(' ')}\n`,
  );
  if (imports.failed.length) process.exitCode = 1;
  if (!keep) fs.rmSync(result.root, { recursive: true, force: true });
}
