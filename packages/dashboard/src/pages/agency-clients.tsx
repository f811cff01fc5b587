import type { AgencyClientDto } from '@leaddesk/shared';
import { useEffect, useState } from 'preact/hooks';
import { Link } from 'wouter-preact';
import { agencyApi, session } from '../api.js';
import type { AppState } from '../main.js';
import { closeStaffSocket } from '../realtime.js';
import { Badge, Button, Card, ErrorNote } from '../ui.js';
import { AgencyStaffCard } from './agency-staff.js';
import { AgencyOverview } from './clients-overview.js';

/**
 * Agency staff (issue 18): the agency's clients, one click to act for one
 * (the same sign-in: the choice is sent as X-Client-Id and in the socket
 * handshake, and the page reloads its data and socket for it), the overview
 * of all of them (managers and admins), a new client with the wizard and
 * the agency's staff (admins).
 */
export function AgencyClientsPage({ state }: { state: AppState }) {
  const [rows, setRows] = useState<AgencyClientDto[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    agencyApi
      .clients()
      .then((r) => setRows(r.data))
      .catch((e: Error) => setError(e.message));
  }, []);
  const actFor = (id: string) => {
    session.clientId = id;
    closeStaffSocket();
    window.location.assign('/dashboard/inbox');
  };
  return (
    <div class="space-y-4 p-4 md:p-6">
      <div class="flex items-center gap-2">
        <h1 class="mr-auto text-xl font-semibold">{state.me.agency?.name ?? 'Agency'}: clients</h1>
        {state.allowed('agency:manage') && (
          <Link href="/agency/branding" class="rounded-md px-3 py-1.5 text-sm font-medium text-indigo-700">
            Agency branding
          </Link>
        )}
        {state.allowed('agency:manage') && (
          <Link href="/clients/new" class="rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white">
            Set up a new client
          </Link>
        )}
      </div>
      <ErrorNote error={error} />
      <Card>
        <div class="-m-4 overflow-x-auto">
          <table class="min-w-full text-sm" data-testid="agency-clients">
            <thead class="bg-slate-50 text-left text-xs text-slate-500 uppercase">
              <tr>
                <th class="px-4 py-2">Client</th>
                <th class="px-4 py-2">Industry</th>
                <th class="px-4 py-2">Plan</th>
                <th class="px-4 py-2">Status</th>
                <th class="px-4 py-2" />
              </tr>
            </thead>
            <tbody class="divide-y divide-slate-100">
              {rows?.length === 0 && (
                <tr>
                  <td colSpan={5} class="px-4 py-6 text-center text-slate-500">
                    No clients yet.
                  </td>
                </tr>
              )}
              {rows?.map((c) => (
                <tr key={c.id} data-client={c.name}>
                  <td class="px-4 py-2 font-medium">{c.name}</td>
                  <td class="px-4 py-2">{c.industry}</td>
                  <td class="px-4 py-2">{c.plan}</td>
                  <td class="px-4 py-2">
                    <Badge tone={c.status === 'active' ? 'bg-emerald-100 text-emerald-700' : 'bg-slate-200'}>
                      {c.status}
                    </Badge>
                  </td>
                  <td class="px-4 py-2 text-right">
                    {session.clientId === c.id ? (
                      <span class="text-xs text-slate-500">Selected</span>
                    ) : (
                      <Button variant="ghost" onClick={() => actFor(c.id)}>
                        Switch to
                      </Button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Card>
      {state.allowed('agency:reports') && <AgencyOverview scope="agency" />}
      {state.allowed('agency:manage') && <AgencyStaffCard selfId={state.me.user.id} />}
    </div>
  );
}
