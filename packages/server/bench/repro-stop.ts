import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { connectVisitorSocket, stopChild } from './support/bench-sockets.js';
const name = `ld_repro_${randomBytes(3).toString('hex')}`;
const admin = new pg.Client({ connectionString: 'postgresql://postgres@127.0.0.1:5432/postgres' });
await admin.connect(); await admin.query(`create database "${name}"`);
for (let round = 0; round < 3; round++) {
  const child = fork('bench/support/leaddesk-server.ts', [], { execArgv: ['--import', 'tsx'], env: { ...process.env, NODE_ENV: 'production', APP_SECRET: randomBytes(32).toString('hex'), PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', SEED_DEMO: 'false', ROLE: 'all', DATABASE_URL: `postgresql://postgres@127.0.0.1:5432/${name}`, REDIS_URL: 'redis://127.0.0.1:6379', REDIS_PREFIX: `rp${round}${name}:`, STRUCTURED_CHUNK_DELAY_MS: '0', WIDGET_RATE_VISITOR_PER_MINUTE: '100000', WIDGET_RATE_SITE_PER_MINUTE: '1000000' }, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  let out = ''; child.stdout!.on('data', (c) => (out += c)); child.stderr!.on('data', (c) => (out += c));
  const ready: any = await new Promise((r) => child.on('message', (m: any) => m.type === 'ready' && r(m)));
  const socks = await Promise.all(Array.from({ length: 30 }, () => connectVisitorSocket(`http://127.0.0.1:${ready.port}`, ready.siteKey)));
  for (let k = 0; k < 5; k++) for (const s of socks) s.emit('message:send', { clientMessageId: `c_${randomBytes(6).toString('hex')}`, content: 'Hi, do you accept dental insurance?' }, () => {});
  await new Promise((r) => setTimeout(r, 300 * round));
  for (const s of socks) s.disconnect();
  const code = new Promise((r) => child.once('exit', (c) => r(c)));
  await stopChild(child);
  console.log('round', round, 'exit', await code, /Connection is closed/.test(out) ? 'CONNECTION CLOSED' : '', out.slice(-1500));
}
await admin.query(`drop database "${name}" with (force)`); await admin.end();
