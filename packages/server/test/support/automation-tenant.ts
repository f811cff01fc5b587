import type { RuleDto, RuleFiringDto, RuleInput } from '@leaddesk/shared';
import { createClient } from '../../src/tenants/tenant-service.js';
import type { AuthTestServer } from '../auth/support.js';
import { waitFor } from './fake-providers.js';

/**
 * A tenant for the automation tests: the client, an admin (rules are
 * changed with `client:update`) and an agent, logged in, with helpers for
 * the rules REST API and the firing log.
 */
export interface AutomationTenant {
  clientId: string;
  siteKey: string;
  admin: { token: string; userId: string };
  agent: { token: string; userId: string };
  createRule(input: RuleInput): Promise<RuleDto>;
  /** Turns the industry template's rules off (tests that count firings of their own rules). */
  disableTemplateRules(): Promise<void>;
  firings(ruleId?: string): Promise<RuleFiringDto[]>;
  waitForFirings(ruleId: string, count?: number, timeoutMs?: number): Promise<RuleFiringDto[]>;
}

export async function createAutomationTenant(
  t: AuthTestServer,
  name: string,
  options: { timezone?: string; config?: Parameters<typeof createClient>[1]['config'] } = {},
): Promise<AutomationTenant> {
  const created = await createClient(t.server.db.orm.em.fork(), {
    name,
    industry: 'dental',
    allowedOrigins: ['*'],
    timezone: options.timezone ?? 'Europe/Berlin',
    config: options.config,
    starterKnowledge: false,
  });
  const slug = created.client.slug;
  const person = async (role: 'admin' | 'agent') => {
    const staff = await t.createStaff({
      client: created.client,
      role,
      name: `${role} of ${name}`,
      email: `${role}@${slug}.example`,
    });
    const session = await t.login(staff.email, staff.password);
    return { token: session.accessToken, userId: staff.user.id };
  };
  const admin = await person('admin');
  const agent = await person('agent');
  const firings = async (ruleId?: string) => {
    const res = await t.api(`/automation/firings?limit=200${ruleId ? `&ruleId=${ruleId}` : ''}`, {
      token: admin.token,
    });
    if (res.status !== 200) throw new Error(`firings: ${res.status} ${res.text}`);
    return res.body.data as RuleFiringDto[];
  };
  return {
    clientId: created.client.id,
    siteKey: created.client.siteKey,
    admin,
    agent,
    async createRule(input) {
      const res = await t.api('/automation/rules', { token: admin.token, body: input });
      if (res.status !== 201) throw new Error(`create rule: ${res.status} ${res.text}`);
      return res.body as RuleDto;
    },
    async disableTemplateRules() {
      const list = await t.api('/automation/rules', { token: admin.token });
      for (const rule of list.body.data as RuleDto[]) {
        if (rule.source !== 'template') continue;
        const res = await t.api(`/automation/rules/${rule.id}`, {
          token: admin.token,
          method: 'PATCH',
          body: { enabled: false },
        });
        if (res.status !== 200) throw new Error(`disable: ${res.status} ${res.text}`);
      }
    },
    firings,
    waitForFirings(ruleId, count = 1, timeoutMs = 15_000) {
      return waitFor(async () => {
        // Counted once their actions are recorded (the claim row comes first).
        const list = (await firings(ruleId)).filter((f) => f.actions.length > 0);
        return list.length >= count ? list : undefined;
      }, timeoutMs);
    },
  };
}
