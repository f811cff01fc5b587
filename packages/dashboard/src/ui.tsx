import type { ComponentChildren, JSX } from 'preact';

/** Small shared pieces of the dashboard's UI. */

export function cx(...parts: Array<string | false | null | undefined>) {
  return parts.filter(Boolean).join(' ');
}

export function Button(
  props: JSX.IntrinsicElements['button'] & { variant?: 'primary' | 'secondary' | 'danger' | 'ghost' },
) {
  const { variant = 'secondary', class: cls, ...rest } = props;
  const styles: string = {
    primary: 'bg-indigo-600 text-white hover:bg-indigo-500 shadow-sm',
    secondary: 'bg-white text-slate-700 ring-1 ring-inset ring-slate-300 hover:bg-slate-50',
    danger: 'bg-rose-600 text-white hover:bg-rose-500',
    ghost: 'text-slate-600 hover:bg-slate-100',
  }[variant as 'primary'];
  return (
    <button
      type="button"
      {...rest}
      class={cx(
        'inline-flex items-center justify-center gap-1.5 rounded-md px-3 py-1.5 text-sm font-medium transition disabled:cursor-not-allowed disabled:opacity-50',
        styles,
        cls as string,
      )}
    />
  );
}

export function Card(props: {
  title?: string;
  actions?: ComponentChildren;
  children: ComponentChildren;
  class?: string;
}) {
  return (
    <section class={cx('rounded-xl bg-white shadow-sm ring-1 ring-slate-200', props.class)}>
      {(props.title || props.actions) && (
        <header class="flex items-center justify-between border-b border-slate-100 px-4 py-3">
          <h2 class="text-sm font-semibold text-slate-800">{props.title}</h2>
          <div class="flex gap-2">{props.actions}</div>
        </header>
      )}
      <div class="p-4">{props.children}</div>
    </section>
  );
}

const CHANNEL_STYLE: Record<string, string> = {
  web: 'bg-sky-100 text-sky-800',
  whatsapp: 'bg-emerald-100 text-emerald-800',
  sms: 'bg-violet-100 text-violet-800',
  email: 'bg-amber-100 text-amber-800',
  web_form: 'bg-slate-200 text-slate-800',
  voice: 'bg-pink-100 text-pink-800',
};

export function Badge(props: { children: ComponentChildren; tone?: string; title?: string }) {
  return (
    <span
      title={props.title}
      class={cx(
        'inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium',
        props.tone ?? 'bg-slate-100 text-slate-700',
      )}
    >
      {props.children}
    </span>
  );
}

export function ChannelBadge({ channel }: { channel: string }) {
  const label =
    { web: 'Chat', whatsapp: 'WhatsApp', sms: 'SMS', email: 'Email', web_form: 'Form', voice: 'Call' }[channel] ??
    channel;
  return <Badge tone={CHANNEL_STYLE[channel]}>{label}</Badge>;
}

export function TemperatureBadge({ temperature, score }: { temperature: string | null; score?: number | null }) {
  const tone =
    temperature === 'hot'
      ? 'bg-rose-100 text-rose-800'
      : temperature === 'warm'
        ? 'bg-orange-100 text-orange-800'
        : temperature === 'cold'
          ? 'bg-blue-100 text-blue-800'
          : 'bg-slate-100 text-slate-600';
  return (
    <Badge tone={tone}>
      {temperature ?? 'unscored'}
      {score !== undefined && score !== null ? ` · ${score}` : ''}
    </Badge>
  );
}

export function Field(props: { label: string; hint?: string; children: ComponentChildren }) {
  return (
    <label class="block">
      <span class="mb-1 block text-xs font-medium text-slate-600">{props.label}</span>
      {props.children}
      {props.hint && <span class="mt-1 block text-xs text-slate-500">{props.hint}</span>}
    </label>
  );
}

export const inputClass =
  'block w-full rounded-md border-0 bg-white px-3 py-1.5 text-sm text-slate-900 shadow-sm ring-1 ring-inset ring-slate-300 placeholder:text-slate-400 focus:ring-2 focus:ring-indigo-600 focus:outline-none';

export function timeAgo(iso: string | null): string {
  if (!iso) return '';
  const s = Math.max(0, (Date.now() - Date.parse(iso)) / 1000);
  if (s < 60) return 'now';
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  if (s < 86400) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86400)}d`;
}

export function ErrorNote({ error }: { error: string | null }) {
  if (!error) return null;
  return (
    <p role="alert" class="rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-700 ring-1 ring-rose-200">
      {error}
    </p>
  );
}
