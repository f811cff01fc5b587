/**
 * The staff dashboard: the staff's whole day on one screen. Preact with
 * wouter for routing under /dashboard, REST through api.ts, live updates on
 * the `/staff` socket (realtime.ts). Sign-in, the shell and the inbox are in
 * the entry bundle; every other page is its own chunk, fetched on first visit
 * (or when its link is hovered), so Chart.js and the settings forms never
 * delay the inbox.
 */
import { type Action, can } from '@leaddesk/shared';
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { Link, Redirect, Route, Router, Switch, useLocation } from 'wouter-preact';
import { type ApiError, api, type Me, refresh, session } from './api.js';
import { brand } from './brand.js';
import { BrandMark } from './brand-mark.js';
import { type LazyPage, lazyPage } from './lazy-page.js';
import { notifications } from './notify.js';
import { InboxPage } from './pages/inbox.js';
import { LoginPage } from './pages/login.js';
import { closeStaffSocket, staffSocket } from './realtime.js';
import { cx, Icon } from './ui.js';

export interface AppState {
  me: Me;
  allowed(action: Action): boolean;
}

const LeadsPage = lazyPage(() => import('./pages/leads.js').then((m) => m.LeadsPage));
const EscalationsPage = lazyPage(() => import('./pages/escalations.js').then((m) => m.EscalationsPage));
const KnowledgePage = lazyPage(() => import('./pages/knowledge.js').then((m) => m.KnowledgePage));
const AnalyticsPage = lazyPage(() => import('./pages/analytics.js').then((m) => m.AnalyticsPage));
const SettingsPage = lazyPage(() => import('./pages/settings.js').then((m) => m.SettingsPage));
const ChannelsPage = lazyPage(() => import('./pages/channels.js').then((m) => m.ChannelsPage));
const IntegrationsPage = lazyPage(() => import('./pages/settings-integrations.js').then((m) => m.IntegrationsPage));
const BrandingPage = lazyPage(() => import('./pages/settings-branding.js').then((m) => m.BrandingPage));
const AutomationPage = lazyPage(() => import('./pages/settings-automation.js').then((m) => m.AutomationPage));
const ClientsPage = lazyPage(() => import('./pages/clients.js').then((m) => m.ClientsPage));
const AgencyClientsPage = lazyPage(() => import('./pages/agency-clients.js').then((m) => m.AgencyClientsPage));
const SignupPage = lazyPage(() => import('./pages/signup.js').then((m) => m.SignupPage));
const OnboardingWizard = lazyPage(() =>
  import('./pages/onboarding/onboarding-wizard.js').then((m) => m.OnboardingWizard),
);

const NAV: Array<{
  href: string;
  label: string;
  icon: string;
  action?: Action;
  superAdmin?: boolean;
  // biome-ignore lint/suspicious/noExplicitAny: only preload() is used here
  page?: LazyPage<any>;
}> = [
  { href: '/inbox', label: 'Inbox', icon: 'inbox' },
  { href: '/leads', label: 'Leads', icon: 'users', action: 'leads:read', page: LeadsPage },
  { href: '/escalations', label: 'Escalations', icon: 'flag', action: 'escalations:read', page: EscalationsPage },
  { href: '/knowledge', label: 'Knowledge', icon: 'book', action: 'knowledge:read', page: KnowledgePage },
  { href: '/analytics', label: 'Analytics', icon: 'chart', action: 'analytics:read', page: AnalyticsPage },
  { href: '/settings', label: 'Settings', icon: 'cog', action: 'client:read', page: SettingsPage },
  { href: '/clients', label: 'Clients', icon: 'building', superAdmin: true, page: ClientsPage },
];

function Shell({ state, onLogout }: { state: AppState; onLogout: () => void }) {
  const [location, navigate] = useLocation();
  const [menu, setMenu] = useState(false);
  const [connected, setConnected] = useState(false);

  useEffect(() => {
    const socket = staffSocket();
    const up = () => setConnected(true);
    const down = () => setConnected(false);
    socket.on('connect', up);
    socket.on('disconnect', down);
    socket.on('connect_error', async (err) => {
      // An expired access token: refresh and reconnect.
      if (err.message === 'unauthorized' && (await refresh())) socket.connect();
    });
    if (socket.connected) up();
    socket.on('escalation:created', (e) =>
      notifications.show(
        'Conversation escalated',
        `${e.reason.replace(/_/g, ' ')}: ${e.detail || 'needs a person'}`,
        () => navigate(`/inbox/${e.conversationId}`),
      ),
    );
    socket.on('lead:updated', (e) => {
      if (e.becameHot)
        notifications.show('Hot lead', `${e.lead.name ?? 'A lead'} scored ${e.lead.score}`, () => navigate('/leads'));
    });
    socket.on('note:mentioned', (e) =>
      notifications.show(`${e.by.name} mentioned you`, e.message.content, () => navigate(`/inbox/${e.conversationId}`)),
    );
    socket.on('conversation:assigned', (e) =>
      notifications.show('Conversation assigned to you', `by ${e.by.name}`, () =>
        navigate(`/inbox/${e.conversationId}`),
      ),
    );
    return () => {
      socket.off('connect', up);
      socket.off('disconnect', down);
      socket.off('escalation:created');
      socket.off('lead:updated');
      socket.off('note:mentioned');
      socket.off('conversation:assigned');
    };
  }, []);

  // Agency staff (issue 18) have a Clients page too: their agency's clients, to switch between.
  const agency = state.me.agency ?? null;
  const items = NAV.filter((n) =>
    n.superAdmin ? state.me.user.role === 'super_admin' || !!agency : !n.action || state.allowed(n.action),
  );
  const selected = useSelectedClientName(agency !== null);
  return (
    <div class="flex h-dvh flex-col md:flex-row">
      <aside
        class={cx(
          'z-20 flex-col bg-slate-900 text-slate-300 md:flex md:w-56 md:shrink-0',
          menu ? 'fixed inset-0 flex' : 'hidden',
        )}
        style={{ background: 'var(--brand-primary)' }}
      >
        <div class="flex items-center gap-2 px-4 py-4">
          <BrandMark class="size-8" />
          <div>
            <div class="text-sm font-semibold text-white" data-testid="product-name">
              {brand.productName}
            </div>
            <div class="max-w-36 truncate text-xs text-slate-400" data-testid="shell-tenant">
              {agency ? agency.name : (state.me.client?.name ?? 'Platform')}
            </div>
            {agency && (
              <div class="max-w-36 truncate text-xs text-slate-300" data-testid="shell-client">
                {selected ?? 'No client selected'}
              </div>
            )}
          </div>
          <button
            type="button"
            class="ml-auto text-2xl md:hidden"
            aria-label="Close menu"
            onClick={() => setMenu(false)}
          >
            ×
          </button>
        </div>
        <nav class="flex-1 space-y-1 px-2">
          {items.map((n) => (
            <Link
              key={n.href}
              href={n.href}
              onClick={() => setMenu(false)}
              onMouseEnter={() => n.page?.preload()}
              onFocus={() => n.page?.preload()}
              class={cx(
                'flex items-center gap-3 rounded-md px-3 py-2 text-sm font-medium',
                location.startsWith(n.href) ? 'bg-slate-800 text-white' : 'hover:bg-slate-800 hover:text-white',
              )}
            >
              <Icon name={n.icon} />
              {n.label}
            </Link>
          ))}
        </nav>
        <div class="border-t border-slate-800 p-4 text-xs">
          <div class="flex items-center gap-2">
            <span class={cx('size-2 rounded-full', connected ? 'bg-emerald-400' : 'bg-slate-500')} />
            <span data-testid="live-status">{connected ? 'Live' : 'Connecting…'}</span>
          </div>
          <div class="mt-2 truncate text-slate-400">
            {state.me.user.name} · {state.me.user.role.replace('_', ' ')}
          </div>
          <button type="button" class="mt-2 text-slate-400 underline hover:text-white" onClick={onLogout}>
            Sign out
          </button>
        </div>
      </aside>
      <header
        class="flex items-center gap-3 bg-slate-900 px-4 py-3 text-white md:hidden"
        style={{ background: 'var(--brand-primary)' }}
      >
        <button type="button" aria-label="Open menu" class="text-xl" onClick={() => setMenu(true)}>
          <Icon name="menu" class="size-6" />
        </button>
        <span class="font-semibold">{brand.productName}</span>
      </header>
      <main class="min-h-0 min-w-0 flex-1 overflow-auto">
        <Switch>
          <Route path="/inbox/:id?">
            {(p) =>
              agency && !session.clientId ? (
                <Redirect to="/clients" />
              ) : (
                <InboxPage state={state} conversationId={p.id} />
              )
            }
          </Route>
          {/* Links in the email channel's staff alerts. */}
          <Route path="/conversations/:id">{(p) => <Redirect to={`/inbox/${p.id}`} />}</Route>
          <Route path="/leads/:id?">{(p) => <LeadsPage state={state} leadId={p.id} />}</Route>
          <Route path="/escalations">
            <EscalationsPage state={state} />
          </Route>
          <Route path="/knowledge">
            <KnowledgePage state={state} />
          </Route>
          <Route path="/analytics">
            <AnalyticsPage state={state} />
          </Route>
          <Route path="/settings/integrations">
            <IntegrationsPage state={state} />
          </Route>
          <Route path="/settings/branding">
            <BrandingPage state={state} />
          </Route>
          <Route path="/settings/automation">
            <AutomationPage state={state} />
          </Route>
          <Route path="/settings/channels">
            <ChannelsPage state={state} />
          </Route>
          <Route path="/settings">
            <SettingsPage state={state} />
          </Route>
          <Route path="/setup">
            {state.allowed('client:update') ? <OnboardingWizard existing /> : <Redirect to="/inbox" />}
          </Route>
          <Route path="/clients/new">
            {state.me.user.role === 'super_admin' ? (
              <OnboardingWizard />
            ) : agency && state.allowed('agency:manage') ? (
              <OnboardingWizard agency />
            ) : (
              <Redirect to="/inbox" />
            )}
          </Route>
          <Route path="/agency/branding">
            {agency && state.allowed('agency:manage') ? (
              <BrandingPage state={state} scope="agency" />
            ) : (
              <Redirect to="/clients" />
            )}
          </Route>
          <Route path="/clients">{agency ? <AgencyClientsPage state={state} /> : <ClientsPage />}</Route>
          <Route>
            <Redirect
              to={(state.me.user.role === 'super_admin' || agency) && !session.clientId ? '/clients' : '/inbox'}
            />
          </Route>
        </Switch>
      </main>
    </div>
  );
}

/** The name of the client agency staff act for (they have no client of their own: `me.client` is null). */
function useSelectedClientName(enabled: boolean): string | null {
  const [name, setName] = useState<string | null>(null);
  useEffect(() => {
    if (!enabled || !session.clientId) return;
    api.client().then(
      (c) => setName(c.name),
      (e: ApiError) => {
        // The client left the agency (or never was in it): forget it and pick again.
        if (e.status !== 404) return;
        session.clientId = null;
        closeStaffSocket();
        window.location.assign('/dashboard/clients');
      },
    );
  }, [enabled]);
  return name;
}

function App() {
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const load = async () => {
    if (!session.token && !(await refresh())) return setMe(null);
    try {
      setMe(await api.me());
    } catch {
      setMe(null);
    }
  };
  useEffect(() => {
    session.onSignedOut(() => {
      closeStaffSocket();
      setMe(null);
    });
    void load();
  }, []);
  if (me === undefined) return <div class="grid h-dvh place-items-center text-slate-500">Loading…</div>;
  if (me === null) {
    if (window.location.pathname === '/dashboard/signup') {
      return (
        <SignupPage
          onSignedUp={() => {
            window.history.replaceState(null, '', '/dashboard/setup');
            void load();
          }}
        />
      );
    }
    return <LoginPage onSignedIn={load} />;
  }
  const state: AppState = { me, allowed: (action) => can(me.user.role, action) };
  return (
    <Shell
      state={state}
      onLogout={async () => {
        closeStaffSocket();
        await api.logout();
        setMe(null);
      }}
    />
  );
}

render(
  <Router base="/dashboard">
    <App />
  </Router>,
  document.getElementById('app') as HTMLElement,
);
