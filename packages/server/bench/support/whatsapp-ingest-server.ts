/**
 * Child process for the WhatsApp ingestion benchmark: the real webhook route
 * (`whatsappRoutes`: signature check on the raw body, event store with dedup,
 * drain-job enqueue on the real job backend) on the real database, without workers, so
 * what is measured is ingestion alone. Reports its port over IPC.
 */
import express from 'express';
import { WebhookInbox } from '../../src/channels/webhook-inbox.js';
import { whatsappRoutes } from '../../src/channels/whatsapp/whatsapp-routes.js';
import { loadConfig } from '../../src/config/config.js';
import { openDatabase } from '../../src/db/database.js';
import { createJobs } from '../../src/jobs/create-jobs.js';
import { createLogger } from '../../src/logger.js';

const config = loadConfig(process.env);
const logger = createLogger({ level: config.logLevel, pretty: false });
const db = await openDatabase(config, logger);
const jobs = createJobs(config, db, logger);
const app = express();
app.use((req, _res, next) => {
  req.em = db.orm.em.fork();
  next();
});
app.use(
  whatsappRoutes({
    // The real inbox: store with dedup, then a (coalesced) drain-job enqueue; no worker runs here.
    inbox: new WebhookInbox({
      orm: db.orm,
      jobs,
      logger,
      provider: 'whatsapp',
      jobName: 'whatsapp.drain-events',
      process: async () => {},
    }),
    box: null,
    appSecret: config.raw.META_APP_SECRET,
    bodyLimit: config.http.bodyLimit,
    plans: config.plans,
  }),
);
const server = app.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.send?.({ type: 'ready', port: typeof address === 'object' && address ? address.port : 0 });
});
process.on('message', async (msg: { type: string }) => {
  if (msg.type === 'stop') {
    server.close();
    await jobs.close();
    await db.close();
    process.exit(0);
  }
});
