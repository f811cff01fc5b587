import { type AgencyDto, INDUSTRIES, PLANS } from '@leaddesk/shared';
import { useState } from 'preact/hooks';
import { Link } from 'wouter-preact';
import { api, type ClientDto, session } from '../api.js';
import { closeStaffSocket } from '../realtime.js';
import { Badge, Button, Card, cx, ErrorNote, inputClass } from '../ui.js';
import { useReloadingActions } from '../use-reloading-actions.js';
import { AdminAgenciesCard } from './admin-agencies.js';
import { AgencyOverview } from './clients-overview.js';

/** Super admins: create clients, change plans, pause and activate, see usage, act for one client; agencies (issue 18). */
export function ClientsPage() {
  const [rows, setRows] = useState<ClientDto[]>([]);
  const [agencies, setAgencies] = useState<AgencyDto[]>([]);
  const [created, setCreated] = useState<string | null>(null);
  const [form, setForm] = useState({ name: '', industry: 'other', plan: 'starter' });
  const { error, act, reload } = useReloadingActions(() =>
    Promise.all([api.adminClients(), api.adminAgencies()]).then(([c, a]) => {
      setRows(c.data);
      setAgencies(a.data);
    }),
  );
  const actFor = (id: string | null) => {
    session.clientId = id;
    closeStaffSocket();
    window.location.assign('/dashboard/inbox');
  };
  return (
    <div class="space-y-4 p-4 md:p-6">
      <div class="flex items-center gap-2">
        <h1 class="mr-auto text-xl font-semibold">Clients</h1>
        <Link href="/clients/new" class="rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white">
          Set up a new client
        </Link>
        {session.clientId && <Button onClick={() => actFor(null)}>Stop acting for a client</Button>}
      </div>
      <ErrorNote error={error} />
      <Card title="New client">
        <form
          class="flex flex-wrap gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            void act(async () => {
              const res = await api.createClient(form);
              setCreated(`${res.client.name} created. API key (shown once): ${res.apiKey}`);
              setForm({ ...form, name: '' });
            });
          }}
        >
          <input
            class={cx(inputClass, 'flex-1')}
            placeholder="Business name"
            value={form.name}
            onInput={(e) => setForm({ ...form, name: e.currentTarget.value })}
          />
          <select
            class={cx(inputClass, 'w-36')}
            value={form.industry}
            onChange={(e) => setForm({ ...form, industry: e.currentTarget.value })}
          >
            {INDUSTRIES.map((i) => (
              <option key={i} value={i}>
                {i}
              </option>
            ))}
          </select>
          <select
            class={cx(inputClass, 'w-32')}
            value={form.plan}
            onChange={(e) => setForm({ ...form, plan: e.currentTarget.value })}
          >
            {PLANS.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
          <Button type="submit" variant="primary">
            Create
          </Button>
        </form>
        {created && <p class="mt-2 rounded-md bg-amber-50 p-2 text-sm break-all ring-1 ring-amber-200">{created}</p>}
      </Card>
      <Card>
        <div class="-m-4 overflow-x-auto">
          <table class="min-w-full text-sm">
            <thead class="bg-slate-50 text-left text-xs text-slate-500 uppercase">
              <tr>
                <th class="px-4 py-2">Client</th>
                <th class="px-4 py-2">Plan</th>
                <th class="px-4 py-2">Agency</th>
                <th class="px-4 py-2">Status</th>
                <th class="px-4 py-2">Tokens this month</th>
                <th class="px-4 py-2" />
              </tr>
            </thead>
            <tbody class="divide-y divide-slate-100">
              {rows.map((c) => (
                <tr key={c.id}>
                  <td class="px-4 py-2 font-medium">{c.name}</td>
                  <td class="px-4 py-2">
                    <select
                      class={cx(inputClass, 'w-28')}
                      value={c.plan}
                      onChange={(e) => act(() => api.updateAdminClient(c.id, { plan: e.currentTarget.value }))}
                    >
                      {PLANS.map((p) => (
                        <option key={p} value={p}>
                          {p}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td class="px-4 py-2">
                    <select
                      class={cx(inputClass, 'w-40')}
                      aria-label={`Agency of ${c.name}`}
                      value={c.agencyId ?? ''}
                      onChange={(e) =>
                        act(() => api.updateAdminClient(c.id, { agencyId: e.currentTarget.value || null }))
                      }
                    >
                      <option value="">No agency</option>
                      {agencies.map((a) => (
                        <option key={a.id} value={a.id}>
                          {a.name}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td class="px-4 py-2">
                    <Badge tone={c.status === 'active' ? 'bg-emerald-100 text-emerald-700' : 'bg-slate-200'}>
                      {c.status}
                    </Badge>
                  </td>
                  <td class="px-4 py-2">
                    {c.usage?.tokensUsed ?? 0} / {c.usage?.tokenBudget ?? '—'}
                  </td>
                  <td class="space-x-2 px-4 py-2 text-right whitespace-nowrap">
                    <Button
                      onClick={() =>
                        act(() => api.updateAdminClient(c.id, { status: c.status === 'active' ? 'paused' : 'active' }))
                      }
                    >
                      {c.status === 'active' ? 'Pause' : 'Activate'}
                    </Button>
                    <Button variant="ghost" onClick={() => actFor(c.id)}>
                      Act for
                    </Button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Card>
      <AdminAgenciesCard agencies={agencies} onChange={reload} />
      <AgencyOverview />
    </div>
  );
}
