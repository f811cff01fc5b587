import { type ChannelSettingsView, type ClientConfig, PLANS } from '@leaddesk/shared';
import { useEffect, useState } from 'preact/hooks';
import { agencyApi, api, type ClientDto, session } from '../../api.js';
import { closeStaffSocket } from '../../realtime.js';
import { Button, Card, cx, ErrorNote, Field, inputClass } from '../../ui.js';
import { IndustrySelect } from './industry-select.js';
import { PairRows, Step, WeekHours } from './wizard-steps.js';

const STEPS = ['Business', 'Hours', 'Services', 'Questions', 'Widget', 'Channels'] as const;
/**
 * A new client in about five minutes (super admins, and agency admins for a
 * client of their agency: `agency`, issue 18): an
 * industry template, the business, its hours, services with prices, a few
 * FAQs or a document, the widget snippet with a live preview, and how to
 * connect WhatsApp and Twilio. Each step saves as it goes through the same
 * API as Settings (so a closed tab loses nothing saved); from the second step
 * on, the dashboard acts for the new client.
 */
export function OnboardingWizard({ existing = false, agency = false }: { existing?: boolean; agency?: boolean }) {
  const [step, setStep] = useState(existing ? 1 : 0);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [client, setClient] = useState<ClientDto | null>(null);
  const [apiKey, setApiKey] = useState<string | null>(null);
  const [business, setBusiness] = useState({
    name: '',
    industry: 'dental' as string,
    plan: 'starter' as string,
    timezone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    website: '',
    starterKnowledge: true,
  });
  const [hours, setHours] = useState<ClientConfig['businessHours'] | null>(null);
  const [services, setServices] = useState<Array<[string, string]>>([]);
  const [faqs, setFaqs] = useState<Array<[string, string]>>([]);
  const [file, setFile] = useState<File | null>(null);
  const [channels, setChannels] = useState<ChannelSettingsView | null>(null);
  // A business that signed itself up already has its client: the wizard starts at its hours.
  useEffect(() => {
    if (!existing) return;
    api
      .client()
      .then((c) => {
        setClient(c);
        setHours(c.config.businessHours);
      })
      .catch((e: Error) => setError(e.message));
  }, [existing]);

  const run = async (fn: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
      setStep((s) => s + 1);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const createBusiness = () =>
    run(async () => {
      const origins = business.website.trim() ? [new URL(business.website.trim()).origin] : [];
      const res = await (agency ? agencyApi.createClient : api.createClient)({
        name: business.name,
        industry: business.industry,
        plan: business.plan,
        timezone: business.timezone,
        allowedOrigins: origins,
        starterKnowledge: business.starterKnowledge,
      });
      setApiKey(res.apiKey);
      // Act for the new client from here on: each later step is its Settings, saved through the same API.
      session.clientId = res.client.id;
      closeStaffSocket();
      const full = await api.client();
      setClient(full);
      setHours(full.config.businessHours);
    });

  const saveHours = () =>
    run(async () => {
      if (hours) setClient(await api.updateClient({ config: { businessHours: hours } }));
    });

  const saveServices = () =>
    run(async () => {
      const current = client!;
      const currency = current.config.reports?.currency ?? 'EUR';
      const money = new Intl.NumberFormat(current.locale, { style: 'currency', currency });
      const priced = services.map(([name, price]) => ({ name: name.trim(), price: parsePrice(price) }));
      const bad = priced.find((s) => !s.name || (s.price !== null && !(s.price >= 0)));
      if (bad) throw new Error(`"${bad.name || 'a service'}": give a name and a price such as 95 or 95.50`);
      // A price is both what the receptionist quotes (an FAQ) and the service's value in the reports.
      const values = Object.fromEntries(priced.filter((s) => s.price !== null).map((s) => [s.name, s.price]));
      const quotes = priced
        .filter((s) => s.price !== null)
        .map((s) => ({
          question: `How much does ${s.name} cost?`,
          answer: `${s.name} costs ${money.format(s.price!)}.`,
        }));
      setClient(
        await api.updateClient({
          config: {
            services: [...new Set([...current.config.services, ...priced.map((s) => s.name)])],
            serviceValues: { ...(current.config.serviceValues ?? {}), ...values },
            faqs: [...current.config.faqs, ...quotes],
          },
        }),
      );
    });

  const saveQuestions = () =>
    run(async () => {
      const current = client!;
      const added = faqs.map(([question, answer]) => ({ question: question.trim(), answer: answer.trim() }));
      const bad = added.find((f) => !f.question || !f.answer);
      if (bad) throw new Error('each question needs its answer');
      if (added.length) setClient(await api.updateClient({ config: { faqs: [...current.config.faqs, ...added] } }));
      if (file) {
        const bases = await api.knowledgeBases();
        const base = bases.data[0] ?? (await api.createKnowledgeBase('Documents', 'Uploaded while setting up'));
        await api.upload(base.id, file, () => undefined);
      }
    });

  const showChannels = () =>
    run(async () => {
      setChannels(await api.channels());
    });

  const finish = () => window.location.assign('/dashboard/inbox');
  const snippet = client
    ? `<script src="${window.location.origin}/widget/loader.js" data-site-key="${client.siteKey}" async></script>`
    : '';

  return (
    <div class="space-y-4 p-4 md:p-6">
      <h1 class="text-xl font-semibold">{existing ? 'Set up your business' : 'Set up a new client'}</h1>
      <ol class="flex flex-wrap gap-2 text-sm" aria-label="Steps">
        {STEPS.map((s, i) => (
          <li
            key={s}
            aria-current={i === step ? 'step' : undefined}
            class={cx(
              'rounded-full px-3 py-1',
              i === step ? 'bg-indigo-600 text-white' : 'bg-slate-100 text-slate-600',
            )}
          >
            {i + 1}. {s}
          </li>
        ))}
      </ol>
      <ErrorNote error={error} />
      <Card>
        {step === 0 && (
          <Step
            title="Business"
            intro="The template sets up questions, FAQs and knowledge for the industry; everything can be changed later."
            next="Create client"
            busy={busy || !business.name.trim()}
            onNext={createBusiness}
          >
            <Field label="Business name">
              <input
                class={inputClass}
                name="businessName"
                value={business.name}
                onInput={(e) => setBusiness({ ...business, name: e.currentTarget.value })}
              />
            </Field>
            <Field label="Industry">
              <IndustrySelect
                class={inputClass}
                value={business.industry}
                onChange={(v) => setBusiness({ ...business, industry: v })}
              />
            </Field>
            <Field label="Plan">
              <select
                class={inputClass}
                name="plan"
                value={business.plan}
                onChange={(e) => setBusiness({ ...business, plan: e.currentTarget.value })}
              >
                {PLANS.map((p) => (
                  <option key={p} value={p}>
                    {p}
                  </option>
                ))}
              </select>
            </Field>
            <Field label="Time zone">
              <input
                class={inputClass}
                name="timezone"
                value={business.timezone}
                onInput={(e) => setBusiness({ ...business, timezone: e.currentTarget.value })}
              />
            </Field>
            <Field label="Website" hint="The site the chat widget goes on (https://…).">
              <input
                class={inputClass}
                name="website"
                type="url"
                value={business.website}
                onInput={(e) => setBusiness({ ...business, website: e.currentTarget.value })}
              />
            </Field>
            <label class="flex items-center gap-2 text-sm">
              <input
                type="checkbox"
                name="starterKnowledge"
                checked={business.starterKnowledge}
                onChange={(e) => setBusiness({ ...business, starterKnowledge: e.currentTarget.checked })}
              />
              Start with the industry’s sample knowledge base (prices, hours and policies to edit)
            </label>
          </Step>
        )}
        {step === 1 && hours && (
          <Step
            title="Hours"
            intro="Outside these hours leads are still answered at once, and the team is told what came in."
            next="Save hours"
            busy={busy}
            onNext={saveHours}
          >
            <WeekHours hours={hours} onChange={setHours} />
          </Step>
        )}
        {step === 2 && (
          <Step
            title="Services and prices"
            intro="The receptionist quotes these prices, and the reports value each lead by its service."
            next="Save services"
            busy={busy}
            onNext={saveServices}
            onSkip={() => setStep(3)}
          >
            <PairRows rows={services} labels={['Service', 'Price']} onChange={setServices} />
          </Step>
        )}
        {step === 3 && (
          <Step
            title="Questions leads ask"
            intro="A few questions and answers, or a document (PDF, Word, text) with prices and policies."
            next="Save"
            busy={busy}
            onNext={saveQuestions}
            onSkip={() => setStep(4)}
          >
            <PairRows rows={faqs} labels={['Question', 'Answer']} onChange={setFaqs} wide />
            <Field label="Or upload a document">
              <input
                type="file"
                name="document"
                accept=".pdf,.docx,.txt,.md,.html,.csv"
                onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)}
              />
            </Field>
          </Step>
        )}
        {step === 4 && client && (
          <Step title="Widget" intro="Paste this before </body> on the website." next="Next" onNext={showChannels}>
            <pre class="overflow-x-auto rounded-md bg-slate-900 p-3 text-xs text-slate-100" data-testid="snippet">
              {snippet}
            </pre>
            <Button onClick={() => navigator.clipboard?.writeText(snippet)}>Copy snippet</Button>
            <p class="text-sm text-slate-500">Live preview: the real widget, answering as the client now is.</p>
            <iframe
              title="Widget preview"
              class="h-[34rem] w-full rounded-md ring-1 ring-slate-200"
              srcDoc={`<!doctype html><html><body style="font-family:sans-serif;color:#64748b"><p>${escapeHtml(client.name)}</p>${snippet}</body></html>`}
            />
          </Step>
        )}
        {step === 5 && client && (
          <Step
            title="Channels"
            intro="WhatsApp and SMS leads arrive in the same inbox. Connect them now or later in Settings → Channels."
            next="Open the inbox"
            onNext={finish}
          >
            <ol class="list-decimal space-y-2 pl-5 text-sm">
              <li>
                WhatsApp: in Meta’s developer console, add the webhook URL{' '}
                <code class="break-all">{channels?.setup.webhooks.whatsapp}</code>, then enter the phone number id and
                access token in Settings → Channels.
              </li>
              <li>
                SMS and missed calls (Twilio): set the number’s messaging webhook to{' '}
                <code class="break-all">{channels?.setup.webhooks.sms}</code> and its call status callback to{' '}
                <code class="break-all">{channels?.setup.webhooks.missedCall}</code>, then enter the account SID and
                auth token in Settings → Channels.
              </li>
            </ol>
            {apiKey && (
              <p class="text-sm">
                API key (shown once): <code class="break-all">{apiKey}</code>
              </p>
            )}
          </Step>
        )}
      </Card>
    </div>
  );
}

/** "95", "95.50", "95,50", "€ 1.200" → a number; empty → no price. */
export function parsePrice(text: string): number | null {
  const t = text.replace(/[^\d.,]/g, '');
  if (!t) return null;
  // A comma or dot followed by exactly two digits at the end is the decimal mark; other marks group thousands.
  const decimal = /[.,](\d{2})$/.exec(t);
  const whole = (decimal ? t.slice(0, -3) : t).replace(/[.,]/g, '');
  return Number(decimal ? `${whole}.${decimal[1]}` : whole);
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
