import type { Jobs } from '../jobs/job-queue.js';
import type { Logger } from '../logger.js';
import type { BrandDomains } from './brand-domains.js';
import type { DomainNotices } from './domain-notices.js';

export const BRAND_DOMAINS_QUEUE = 'brand-domains';
export const BRAND_DOMAINS_RECHECK_JOB = 'brand-domains.recheck';

export interface DomainRecheckOptions {
  jobs: Jobs;
  domains: BrandDomains;
  logger: Logger;
  /** How often; 0: never. */
  everyMs: number;
  /** Emails the owners of domains whose record went missing (after each round's lookups). */
  notices?: DomainNotices;
}

/**
 * The periodic re-check of pending brand domains (a tenant who published its TXT record and never pressed
 * Verify still gets served). Like the other sweeps, every worker process queues the round on a timer under
 * one job id per period, so a round runs once across processes; and each pending claim is stamped when it is
 * taken (BrandingStore.claimPendingChecks), so even two rounds at once look each host up once. Cheap: only
 * pending, unexpired claims, at most 50 a round.
 */
export function domainRecheck(options: DomainRecheckOptions) {
  const { jobs, domains, logger, everyMs, notices } = options;
  let timer: NodeJS.Timeout | undefined;
  const enqueue = () =>
    jobs.add(
      BRAND_DOMAINS_QUEUE,
      BRAND_DOMAINS_RECHECK_JOB,
      {},
      { jobId: `brand-domains.recheck.${Math.floor(Date.now() / everyMs)}`, attempts: 1 },
    );
  return {
    async start(): Promise<void> {
      if (everyMs <= 0) return;
      await jobs.work(BRAND_DOMAINS_QUEUE, async (job) => {
        if (job.name !== BRAND_DOMAINS_RECHECK_JOB) return;
        // Half the period: a round that started late still looks up what the previous one did.
        const done = await domains.recheck(Math.floor(everyMs / 2));
        if (done.checked || done.dropped || done.failing || done.lost) logger.info(done, 'brand domains re-checked');
        const told = (await notices?.sendDue()) ?? 0;
        if (told) logger.info({ told }, 'brand domain owners told of missing records');
      });
      const tick = () => {
        timer = setTimeout(() => {
          enqueue()
            .catch((err: unknown) => logger.warn({ err }, 'brand domain re-check scheduling failed'))
            .finally(() => {
              if (timer) tick();
            });
        }, everyMs);
        timer.unref();
      };
      await enqueue().catch((err: unknown) => logger.warn({ err }, 'brand domain re-check scheduling failed'));
      tick();
    },
    close(): void {
      if (timer) clearTimeout(timer);
      timer = undefined;
    },
  };
}
