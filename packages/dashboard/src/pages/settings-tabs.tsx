import { Link, useLocation } from 'wouter-preact';
import { cx } from '../ui.js';

const TABS = [
  { href: '/settings', label: 'General' },
  { href: '/settings/channels', label: 'Channels' },
  { href: '/settings/integrations', label: 'Integrations' },
  { href: '/settings/automation', label: 'Automation' },
  { href: '/settings/branding', label: 'Branding' },
] as const;

/** Settings → General (profile, AI, widget, team…) and Settings → Channels (credentials, webhooks). */
export function SettingsTabs() {
  const [location] = useLocation();
  return (
    <nav class="flex gap-1 border-b border-slate-200" aria-label="Settings sections">
      {TABS.map((t) => {
        const current = location === t.href;
        return (
          <Link
            key={t.href}
            href={t.href}
            aria-current={current ? 'page' : undefined}
            class={cx(
              '-mb-px border-b-2 px-3 py-2 text-sm font-medium',
              current ? 'border-indigo-600 text-indigo-700' : 'border-transparent text-slate-500 hover:text-slate-800',
            )}
          >
            {t.label}
          </Link>
        );
      })}
    </nav>
  );
}
