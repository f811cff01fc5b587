import type { Channel, PlanView } from '@leaddesk/shared';
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import { Card, ErrorNote } from '../ui.js';

const CHANNEL_LABELS: Record<Channel, string> = {
  web: 'Web chat',
  web_form: 'Web forms',
  whatsapp: 'WhatsApp',
  sms: 'SMS',
  email: 'Email',
  voice: 'Missed calls',
};

const number = new Intl.NumberFormat();

/** Settings → General: what the plan includes and what is in use (seats, channels, AI tokens this month). */
export function PlanCard() {
  const [plan, setPlan] = useState<PlanView | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api
      .plan()
      .then(setPlan)
      .catch((err: Error) => setError(err.message));
  }, []);
  if (error) return <ErrorNote error={error} />;
  if (!plan) return null;
  const seats = plan.limits.seats === null ? 'unlimited' : `${plan.usage.seats} of ${plan.limits.seats} in use`;
  return (
    <Card title="Plan">
      <dl class="grid grid-cols-[8rem_1fr] gap-y-1.5 text-sm" aria-label="Plan and limits">
        <dt class="text-slate-500">Plan</dt>
        <dd class="font-medium capitalize">{plan.plan}</dd>
        <dt class="text-slate-500">Seats</dt>
        <dd>{seats}</dd>
        <dt class="text-slate-500">Channels</dt>
        <dd>{plan.limits.channels.map((c) => CHANNEL_LABELS[c]).join(', ')}</dd>
        <dt class="text-slate-500">AI tokens</dt>
        <dd>
          {number.format(plan.usage.monthlyTokens)} of {number.format(plan.limits.monthlyTokens)} this month
        </dd>
        <dt class="text-slate-500">API rate</dt>
        <dd>{number.format(plan.limits.requestsPerMinute)} requests per minute</dd>
      </dl>
    </Card>
  );
}
