import { useEffect, useState } from 'preact/hooks';
import { api, type ClientDto } from '../api.js';
import { Badge, Card, ErrorNote } from '../ui.js';

/** Super admins: every client with plan, status and usage. */
export function ClientsPage() {
  const [rows, setRows] = useState<ClientDto[]>([]);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api
      .adminClients()
      .then((r) => setRows(r.data))
      .catch((e: Error) => setError(e.message));
  }, []);
  return (
    <div class="space-y-4 p-4 md:p-6">
      <h1 class="text-xl font-semibold">Clients</h1>
      <ErrorNote error={error} />
      <Card>
        <table class="min-w-full text-sm">
          <thead class="text-left text-xs text-slate-500 uppercase">
            <tr>
              <th class="py-2">Client</th>
              <th>Plan</th>
              <th>Status</th>
              <th>Tokens this month</th>
            </tr>
          </thead>
          <tbody class="divide-y divide-slate-100">
            {rows.map((c) => (
              <tr key={c.id}>
                <td class="py-2 font-medium">{c.name}</td>
                <td class="capitalize">{c.plan}</td>
                <td>
                  <Badge tone={c.status === 'active' ? 'bg-emerald-100 text-emerald-700' : 'bg-slate-200'}>
                    {c.status}
                  </Badge>
                </td>
                <td>
                  {c.usage?.tokensUsed ?? 0} / {c.usage?.tokenBudget ?? '—'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </Card>
    </div>
  );
}
