import { CHANNELS, type Channel, PLAN_CHANNELS, type Plan, type PlanChannel } from '@leaddesk/shared';
import type { StoredChannelSettings } from '../channels/settings/channel-settings.js';
import type { Config } from '../config/config.js';
import { AppError } from '../errors/app-error.js';

export type PlanLimits = Config['plans'][Plan];

export function limitsOf(config: Pick<Config, 'plans'>, plan: string): PlanLimits {
  return config.plans[plan as Plan] ?? config.plans.starter;
}

/** Every channel a plan lets a tenant use: web chat, web forms and email always, then its provider channels. */
export function channelsOf(limits: PlanLimits): Channel[] {
  return CHANNELS.filter(
    (c) => !(PLAN_CHANNELS as readonly string[]).includes(c) || limits.channels.includes(c as PlanChannel),
  );
}

/**
 * The provider channels a tenant has connected with its own credentials:
 * WhatsApp (Meta), SMS (a Twilio account), missed calls (a generic telephony
 * signing secret).
 */
export function connectedChannels(settings: StoredChannelSettings): PlanChannel[] {
  const on = new Set<PlanChannel>();
  if (settings.whatsapp) on.add('whatsapp');
  // A Twilio account connects SMS; its missed calls are checked where they arrive (a plan may have one, not both).
  if (settings.twilio) on.add('sms');
  if (settings.telephony) on.add('voice');
  return PLAN_CHANNELS.filter((c) => on.has(c));
}

const CHANNEL_NAMES: Record<PlanChannel, string> = { whatsapp: 'WhatsApp', sms: 'SMS', voice: 'missed calls' };

/** The channels `after` connects that `before` did not and the plan does not include. */
export function channelsBeyondPlan(limits: PlanLimits, before: PlanChannel[], after: PlanChannel[]): PlanChannel[] {
  return after.filter((c) => !before.includes(c) && !limits.channels.includes(c));
}

export function channelLimitError(plan: string, channels: PlanChannel[]): AppError {
  return new AppError(
    'plan_limit_reached',
    `the ${plan} plan does not include ${channels.map((c) => CHANNEL_NAMES[c]).join(' or ')}; ask your provider to change the plan`,
  );
}

/** A request for a channel the tenant's plan does not include (an inbound webhook on a shared provider account). */
export function requirePlanChannel(config: Pick<Config, 'plans'>, client: { plan: string }, channel: PlanChannel) {
  if (!limitsOf(config, client.plan).channels.includes(channel)) throw channelLimitError(client.plan, [channel]);
}

/**
 * What keeps a tenant from moving to `plan` now: more seats in use than it
 * includes, or a provider channel connected that it excludes. A plan change
 * never leaves a tenant over its plan, so every connected channel is always
 * one its plan includes.
 */
export function overPlan(limits: PlanLimits, usage: { seats: number; channels: PlanChannel[] }): string[] {
  const reasons: string[] = [];
  if (limits.seats !== null && usage.seats > limits.seats) {
    reasons.push(`${usage.seats} seats are in use and it includes ${limits.seats}`);
  }
  const excluded = usage.channels.filter((c) => !limits.channels.includes(c));
  if (excluded.length) reasons.push(`${excluded.map((c) => CHANNEL_NAMES[c]).join(' and ')} connected`);
  return reasons;
}
