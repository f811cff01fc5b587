import { type ChildProcessWithoutNullStreams, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { envSchema } from '../src/config/env-schema.js';
import { createFreshPostgresDatabase, TEST_REDIS_URL } from './support/databases.js';
import { freePort } from './support/free-port.js';
import { startPrivateRedis } from './support/private-redis.js';
import { connectVisitor, nextAiReply } from './support/widget-client.js';

/**
 * The deployment files (deploy/): every manifest parsed, every environment variable they set
 * known to the server's env schema, the Helm chart's templates checked as far as can be done
 * without helm, and the compose topology (migrate, then 2 web + 1 worker) started here as plain
 * processes with the compose file's environment.
 */
vi.setConfig({ testTimeout: 180_000, hookTimeout: 180_000 });

const serverDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const repoDir = path.resolve(serverDir, '../..');
const deployDir = path.join(repoDir, 'deploy');
const chartDir = path.join(deployDir, 'helm/leaddesk');
const read = (p: string) => fs.readFile(p, 'utf8');

/**
 * Settings the deployment files name that the roles/migration-lock work (issue 16, other branch)
 * adds to the schema. Each must be in the schema once both are merged: the last test says which still are not.
 */
const PENDING_SETTINGS = ['ROLE', 'MIGRATE_ON_START', 'REDIS_PREFIX'];
const known = new Set(Object.keys(envSchema.shape));
const unknownSettings = (names: Iterable<string>) =>
  [...names].filter((n) => !known.has(n) && !PENDING_SETTINGS.includes(n));

interface ComposeService {
  image?: string;
  command?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }> | string[];
  restart?: string;
  healthcheck?: unknown;
}
interface ComposeFile {
  services: Record<string, ComposeService>;
}

async function compose(): Promise<ComposeFile> {
  return parse(await read(path.join(deployDir, 'compose.yaml')), { merge: true }) as ComposeFile;
}
const leaddeskServices = (c: ComposeFile) =>
  Object.entries(c.services).filter(([, s]) => (s.image ?? '').includes('leaddesk'));

describe('deploy/Dockerfile', () => {
  it('is multi-stage, installs from the lockfile, runs as a non-root user with a health check', async () => {
    const text = await read(path.join(deployDir, 'Dockerfile'));
    const stages = [...text.matchAll(/^FROM\s+\S+\s+AS\s+(\S+)/gim)].map((m) => m[1]);
    expect(stages).toEqual(['base', 'fetch', 'build', 'runtime']);
    expect(text).toMatch(/pnpm fetch/);
    expect(text).toMatch(/pnpm install --frozen-lockfile --offline\b/);
    expect(text).toMatch(/--prod --filter @leaddesk\/server/);
    const runtime = text.slice(text.search(/AS runtime/));
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime).toMatch(/HEALTHCHECK[^\n]*\n[^\n]*\/healthz/);
    expect(runtime).toMatch(/CMD \["node", "--import", ".\/dist\/instrument.js", "dist\/main.js"\]/);
    // The runtime stage copies built output and production modules only, never the sources.
    for (const copy of runtime.matchAll(/^COPY\s+(.*)$/gm)) expect(copy[1]).toMatch(/^--from=build /);
    const envBlocks = [...runtime.replace(/\\\n\s*/g, ' ').matchAll(/^ENV (.*)$/gm)].map((m) => m[1] as string);
    const envNames = envBlocks.flatMap((b) => [...b.matchAll(/(\w+)=\S+/g)].map((m) => m[1] as string));
    expect(envNames).toContain('NODE_ENV');
    expect(unknownSettings(envNames)).toEqual([]);
  });
});

describe('deploy/docker-build-steps.mjs (the Dockerfile without Docker)', () => {
  const cleanups: Array<() => Promise<unknown>> = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c().catch(() => {});
  });

  it("runs the build stages' RUN steps and starts the runtime stage's files with the image's CMD", async () => {
    const { runBuildSteps, checkImports } = (await import(path.join(deployDir, 'docker-build-steps.mjs'))) as {
      runBuildSteps(): { root: string; runtime: string; workdir: string; cmd: string[]; sizes: Record<string, number> };
      checkImports(serverDir: string): { specifiers: string[]; failed: string[] };
    };
    const built = runBuildSteps();
    cleanups.push(() => fs.rm(built.root, { recursive: true, force: true }));
    const mb = (n: number) => Math.round(n / 1e5) / 10;
    process.stdout.write(
      `\n  image COPY layers: ${mb(built.sizes.runtimeBytes as number)} MB (node_modules ${mb(built.sizes.nodeModulesBytes as number)} MB, builds ${mb(built.sizes.distBytes as number)} MB)\n`,
    );
    // The size of what the runtime stage copies (uncompressed), on top of the base image. 190 MB before
    // the pruning of deploy/prune-node-modules.mjs; a budget so that a heavy new dependency is a decision.
    expect(mb(built.sizes.runtimeBytes as number)).toBeLessThan(140);
    // Every package the server's bundles import loads from the pruned files.
    const imports = checkImports(built.workdir);
    expect(imports.specifiers).toEqual(
      expect.arrayContaining(['@sentry/node', 'js-tiktoken/lite', 'tinyld', 'express']),
    );
    expect(imports.failed).toEqual([]);
    // The build-time packages are gone.
    const store = await fs.readdir(path.join(built.runtime, 'node_modules/.pnpm'));
    expect(store.filter((f) => /^(sentry|oxc-parser)@|^@sentry\+bundler-plugins@/.test(f))).toEqual([]);
    // No development tools made it into the runtime files.
    for (const tool of ['typescript', 'tsx', 'esbuild', 'vitest', '@biomejs']) {
      await expect(fs.stat(path.join(built.runtime, 'node_modules', tool))).rejects.toThrow();
    }
    await expect(fs.stat(path.join(built.runtime, 'packages/widget/dist/loader.js'))).resolves.toBeTruthy();

    const db = await createFreshPostgresDatabase();
    cleanups.push(() => db.drop());
    const port = await freePort();
    const child = spawn(process.execPath, built.cmd.slice(1), {
      cwd: built.workdir,
      env: {
        PATH: process.env.PATH ?? '',
        NODE_ENV: 'production',
        APP_SECRET: randomBytes(32).toString('hex'),
        DATABASE_URL: db.url,
        DATABASE_POOL_MAX: '4',
        // Jobs on Redis, as deployed (BullMQ's PostgreSQL backend holds connections per queue; the shared server has 100).
        REDIS_URL: TEST_REDIS_URL,
        REDIS_PREFIX: `ld-image-${randomBytes(4).toString('hex')}:`,
        HOST: '127.0.0.1',
        PORT: String(port),
        DATA_DIR: path.join(built.root, 'data'),
        SEED_DEMO: 'false',
      },
    });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      out += d;
    });
    cleanups.push(async () => {
      if (child.exitCode === null) child.kill('SIGKILL');
    });
    const base = `http://127.0.0.1:${port}`;
    const started = Date.now();
    while (
      !(await fetch(`${base}/readyz`).then(
        (r) => r.ok,
        () => false,
      ))
    ) {
      if (child.exitCode !== null) throw new Error(`runtime exited (${child.exitCode}): ${out.slice(-2000)}`);
      if (Date.now() - started > 150_000) throw new Error(`runtime did not get ready: ${out.slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    // The widget built in the image is served from its place in the image's layout.
    expect((await fetch(`${base}/widget/loader.js`)).status).toBe(200);
    const widgetDist = path.join(built.runtime, 'packages/widget/dist');
    const chunk = (await fs.readdir(widgetDist)).find((f) => /^widget\..*[0-9a-f]{6,}\.js$/.test(f));
    if (!chunk) throw new Error('no hashed widget bundle in the image');
    expect((await fetch(`${base}/widget/${chunk}`)).status).toBe(200);
    // The build runs synchronously: install, three builds and the pruning on a shared two-core machine.
  }, 480_000);
});

describe('deploy/compose.yaml', () => {
  it('has PostgreSQL with pgvector, Redis, a one-shot migrate, two web processes, one worker and a sticky proxy', async () => {
    const c = await compose();
    expect(c.services.postgres?.image).toMatch(/pgvector/);
    expect(c.services.redis?.image).toMatch(/^redis:/);
    expect(c.services.migrate?.command).toEqual(['node', 'dist/cli/migrate.js']);
    expect(c.services.migrate?.restart).toBe('no');
    for (const name of ['web-1', 'web-2', 'worker']) {
      expect(c.services[name]?.depends_on).toMatchObject({ migrate: { condition: 'service_completed_successfully' } });
      expect(c.services[name]?.environment?.MIGRATE_ON_START).toBe('false');
    }
    expect(c.services['web-1']?.environment?.ROLE).toBe('web');
    expect(c.services['web-2']?.environment?.ROLE).toBe('web');
    expect(c.services.worker?.environment?.ROLE).toBe('worker');
    const caddy = await read(path.join(deployDir, 'Caddyfile'));
    expect(caddy).toMatch(/reverse_proxy web-1:3000 web-2:3000/);
    expect(caddy).toMatch(/lb_policy cookie/);
    expect(caddy).toMatch(/health_uri \/readyz/);
  });

  it('sets only variables the server knows', async () => {
    const c = await compose();
    const names = new Set(leaddeskServices(c).flatMap(([, s]) => Object.keys(s.environment ?? {})));
    expect(names.size).toBeGreaterThan(10);
    expect(unknownSettings(names)).toEqual([]);
  });
});

/** Template actions the chart may use; anything else fails, so that this check keeps meaning something. */
const ACTION_FORMS = [
  /^-?\s*\.Values(\.\w+)+(\s*\|\s*(quote|default \.Chart\.AppVersion))?\s*-?$/,
  /^-?\s*\.(Release|Chart)\.\w+(\s*\|\s*quote)?\s*-?$/,
  /^-?\s*include "leaddesk\.[\w]+" \.(\s*\|\s*nindent \d+)?\s*-?$/,
  /^-?\s*include \(print \$\.Template\.BasePath "\/[\w.-]+"\) \. \| sha256sum\s*-?$/,
  /^-?\s*toYaml (\.|\.Values(\.\w+)+) \| nindent \d+\s*-?$/,
  /^-?\s*(if|with) (not )?\.Values(\.\w+)+\s*-?$/,
  /^-?\s*if \$value\s*-?$/,
  /^-?\s*range \$name, \$value := \.Values(\.\w+)+\s*-?$/,
  /^-?\s*\$(name|value)(\s*\|\s*quote)?\s*-?$/,
  /^-?\s*(else|end)\s*-?$/,
];

function actionsOf(text: string): string[] {
  return [...text.matchAll(/\{\{(.*?)\}\}/g)].map((m) => (m[1] as string).trim());
}

/** A template's YAML skeleton: lines that are only an action dropped, other actions replaced by a scalar. */
function skeleton(text: string): string {
  return text
    .split('\n')
    .filter((line) => !/^\s*\{\{.*\}\}\s*$/.test(line) || /^\s*\{\{.*\}\}\s*:/.test(line))
    .map((line) => line.replace(/\{\{.*?\}\}/g, 'X'))
    .join('\n');
}

function hasPath(values: unknown, dotted: string): boolean {
  let node = values;
  for (const key of dotted.split('.')) {
    if (!node || typeof node !== 'object' || !(key in node)) return false;
    node = (node as Record<string, unknown>)[key];
  }
  return true;
}

describe('deploy/helm/leaddesk (checked without helm)', () => {
  it('renders to the expected kinds with probes, sticky ingress, HPA, PDB, hook Job, Secret and ConfigMap', async () => {
    const chart = parse(await read(path.join(chartDir, 'Chart.yaml'))) as Record<string, string>;
    expect(chart.apiVersion).toBe('v2');
    expect(chart.name).toBe('leaddesk');
    expect(chart.version).toMatch(/^\d+\.\d+\.\d+$/);
    const values = parse(await read(path.join(chartDir, 'values.yaml'))) as Record<string, unknown>;
    const helpers = await read(path.join(chartDir, 'templates/_helpers.tpl'));
    const defined = new Set([...helpers.matchAll(/define "([\w.]+)"/g)].map((m) => m[1]));

    const docs: Array<Record<string, any>> = [];
    const files = (await fs.readdir(path.join(chartDir, 'templates'))).filter((f) => f.endsWith('.yaml'));
    for (const file of files) {
      const text = await read(path.join(chartDir, 'templates', file));
      for (const action of actionsOf(text)) {
        expect(
          ACTION_FORMS.some((form) => form.test(action)),
          `${file}: template action not in the checked set: {{ ${action} }}`,
        ).toBe(true);
        for (const ref of action.matchAll(/\.Values\.([\w.]+)/g)) {
          expect(hasPath(values, ref[1] as string), `${file}: .Values.${ref[1]} is not in values.yaml`).toBe(true);
        }
        const included = action.match(/include "([\w.]+)"/)?.[1];
        if (included) expect(defined.has(included), `${file}: ${included} is not defined`).toBe(true);
      }
      for (const doc of parseAllDocuments(skeleton(text))) {
        expect(doc.errors, `${file}: ${doc.errors.join('; ')}`).toEqual([]);
        const json = doc.toJSON() as Record<string, any> | null;
        if (json) docs.push(json);
      }
    }
    const byKind = (kind: string) => docs.filter((d) => d.kind === kind);
    expect(byKind('Deployment').map((d) => d.metadata.name)).toEqual(['X-web', 'X-worker']);
    for (const deployment of byKind('Deployment')) {
      const container = deployment.spec.template.spec.containers[0];
      expect(container.readinessProbe.httpGet.path).toBe('/readyz');
      expect(container.livenessProbe.httpGet.path).toBe('/healthz');
      expect(container.envFrom).toHaveLength(2);
    }
    expect(byKind('Service')).toHaveLength(1);
    const ingress = byKind('Ingress')[0];
    expect(ingress).toBeDefined();
    expect((values.ingress as { annotations: Record<string, string> }).annotations).toMatchObject({
      'nginx.ingress.kubernetes.io/affinity': 'cookie',
    });
    expect(byKind('HorizontalPodAutoscaler')[0]?.spec.scaleTargetRef.kind).toBe('Deployment');
    expect(byKind('PodDisruptionBudget').length).toBeGreaterThanOrEqual(1);
    const job = byKind('Job')[0];
    expect(job?.metadata.annotations['helm.sh/hook']).toBe('pre-install,pre-upgrade');
    expect(job?.spec.template.spec.containers[0].command).toEqual(['node', 'dist/cli/migrate.js']);
    expect(byKind('ConfigMap')).toHaveLength(1);
    expect(byKind('Secret').length).toBeGreaterThanOrEqual(1);

    // Every variable the chart sets: values.config and values.secrets keys, env entries, the hook Secret's keys.
    const names = new Set<string>([
      ...Object.keys(values.config as object),
      ...Object.keys(values.secrets as object),
      ...docs.flatMap((d) =>
        (d.spec?.template?.spec?.containers ?? []).flatMap((c: { env?: Array<{ name: string }> }) =>
          (c.env ?? []).map((e) => e.name),
        ),
      ),
      ...byKind('Secret').flatMap((s) => Object.keys(s.stringData ?? {}).filter((k) => k !== 'X')),
    ]);
    expect(names.has('APP_SECRET')).toBe(true);
    expect(unknownSettings(names)).toEqual([]);
  });
});

describe('the compose topology as plain processes', () => {
  const children: ChildProcessWithoutNullStreams[] = [];
  const cleanups: Array<() => Promise<unknown>> = [];
  afterAll(async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    for (const c of cleanups.reverse()) await c().catch(() => {});
  });

  /** `${VAR}`, `${VAR:-default}` and `${VAR:?message}` as docker compose interpolates them. */
  function interpolate(value: string, vars: Record<string, string>): string {
    return value.replace(/\$\{(\w+)(?::([-?])([^}]*))?\}/g, (_, name: string, op?: string, arg?: string) => {
      const v = vars[name];
      if (v) return v;
      if (op === '?') throw new Error(`compose needs ${name}: ${arg}`);
      return op === '-' ? (arg ?? '') : '';
    });
  }

  it('runs migrate once, then two web processes and a worker with the compose environment', async () => {
    const outDir = path.join(serverDir, 'node_modules', '.cache', `ld-deploy-${randomBytes(4).toString('hex')}`);
    cleanups.push(() => fs.rm(outDir, { recursive: true, force: true }));
    await promisify(execFile)(process.execPath, ['scripts/build.mjs', '--outdir', outDir], { cwd: serverDir });
    const db = await createFreshPostgresDatabase();
    cleanups.push(() => db.drop());
    const redis = await startPrivateRedis();
    cleanups.push(() => redis.stop());
    const dockerfile = await read(path.join(deployDir, 'Dockerfile'));
    const imageCmd = JSON.parse(dockerfile.match(/^CMD (\[.*\])$/m)?.[1] ?? '[]') as string[];

    const c = await compose();
    const vars = {
      PUBLIC_URL: 'http://127.0.0.1',
      APP_SECRET: randomBytes(32).toString('hex'),
      POSTGRES_PASSWORD: 'unused-here',
      REDIS_PREFIX: `ld-test-${randomBytes(3).toString('hex')}`,
      SITE_ADDRESS: 'localhost',
    };
    // Only what differs between containers and this host: service addresses and the listening port.
    const hostOverrides = { DATABASE_URL: db.url, DATABASE_POOL_MAX: '4', REDIS_URL: redis.url, HOST: '127.0.0.1' };
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'ld-compose-'));
    cleanups.push(() => fs.rm(dataDir, { recursive: true, force: true }));

    const start = async (service: string) => {
      const s = c.services[service];
      if (!s) throw new Error(`no service ${service}`);
      const env: Record<string, string> = {};
      for (const [k, v] of Object.entries(s.environment ?? {})) env[k] = interpolate(String(v), vars);
      Object.assign(env, hostOverrides, { DATA_DIR: dataDir, PORT: String(await freePort()) });
      const cmd = (s.command ?? imageCmd).map((a) => a.replace(/^(\.\/)?dist\//, `${outDir}/`));
      if (cmd[0] !== 'node') throw new Error(`unexpected command ${cmd.join(' ')}`);
      const child = spawn(process.execPath, cmd.slice(1), {
        cwd: serverDir,
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      });
      children.push(child);
      let out = '';
      child.stdout.on('data', (d) => {
        out += d;
      });
      child.stderr.on('data', (d) => {
        out += d;
      });
      const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
      const url = async () => {
        const base = `http://127.0.0.1:${env.PORT}`;
        const started = Date.now();
        for (;;) {
          if (
            await fetch(`${base}/healthz`).then(
              (r) => r.ok,
              () => false,
            )
          )
            return base;
          if (child.exitCode !== null) throw new Error(`${service} exited (${child.exitCode}): ${out.slice(-2000)}`);
          if (Date.now() - started > 150_000) throw new Error(`${service} did not start: ${out.slice(-2000)}`);
          await new Promise((r) => setTimeout(r, 200));
        }
      };
      return { child, exited, out: () => out, url };
    };

    const migrate = await start('migrate');
    expect(await migrate.exited, migrate.out()).toBe(0);
    expect(migrate.out()).toMatch(/migrations applied/);

    const webs = [await start('web-1'), await start('web-2')];
    const worker = await start('worker');
    const urls = await Promise.all([...webs, worker].map((p) => p.url()));
    for (const url of urls) {
      const ready = await fetch(`${url}/readyz`);
      expect(ready.status).toBe(200);
      const body = (await ready.json()) as { checks: { redis: { configured: boolean }; jobs: { backend: string } } };
      expect(body.checks.redis.configured).toBe(true);
      expect(body.checks.jobs.backend).toBe('redis');
    }

    // A visitor on web-2 gets a structured-mode reply (the tenant made with the CLI-free API: the demo is off).
    const { createClient } = await import('../src/tenants/tenant-service.js');
    const { connectOrm } = await import('../src/db/orm.js');
    const orm = await connectOrm({ url: db.url, poolMax: 1 });
    const tenant = await createClient(orm.em.fork(), {
      name: 'Compose Dental',
      industry: 'dental',
      allowedOrigins: ['*'],
    });
    await orm.close(true);
    const visitor = connectVisitor(urls[1] as string, { siteKey: tenant.client.siteKey, origin: 'https://x.example' });
    try {
      await visitor.waitFor('session:ready', undefined, 20_000);
      const ack = await visitor.send('Hello, do you do teeth whitening?');
      if (!ack.ok) throw new Error(ack.error.message);
      const reply = await nextAiReply(visitor, ack.data.message.seq, 30_000);
      expect(reply.message.role).toBe('ai');
    } finally {
      visitor.close();
    }
    // Each process serves its own metrics; the queue gauges read BullMQ on Redis here.
    const metrics = await (await fetch(`${urls[2]}/metrics`)).text();
    expect(metrics).toMatch(/leaddesk_job_queue_jobs\{queue="outbound",state="waiting"\} \d+/);
    expect(metrics).toMatch(/leaddesk_job_queue_lag_seconds\{queue="email"\} [\d.]+/);
    const web2 = await (await fetch(`${urls[1]}/metrics`)).text();
    expect(web2).toMatch(/leaddesk_messages_total\{channel="web",role="visitor"\} 1/);
    const stillPending = PENDING_SETTINGS.filter((n) => !known.has(n));
    if (stillPending.length) {
      process.stdout.write(
        `\n  note: ${stillPending.join(', ')} are not in the env schema on this branch: every process ran as role "all".\n`,
      );
    }
    // Four processes and a build on a shared two-core machine (load averages above 20 seen).
  }, 360_000);
});
