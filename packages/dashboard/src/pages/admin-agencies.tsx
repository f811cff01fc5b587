import type { AgencyDto } from '@leaddesk/shared';
import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { Button, Card, ErrorNote, inputClass } from '../ui.js';
import { useReloadingActions } from '../use-reloading-actions.js';

/**
 * Super admins (issue 18): the agencies, a new one, and its first admin by
 * invitation. Clients move into an agency from the clients table.
 */
export function AdminAgenciesCard({ agencies, onChange }: { agencies: AgencyDto[]; onChange: () => Promise<void> }) {
  const [name, setName] = useState('');
  const [invites, setInvites] = useState<Record<string, string>>({});
  const [note, setNote] = useState<string | null>(null);
  const reloading = useReloadingActions(onChange, { onMount: false });
  const { error } = reloading;
  const act = (fn: () => Promise<unknown>) => {
    setNote(null);
    return reloading.act(fn);
  };
  return (
    <Card title="Agencies">
      <ErrorNote error={error} />
      {note && <p class="mb-2 text-sm text-emerald-700">{note}</p>}
      <form
        class="mb-3 flex flex-wrap gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          void act(async () => {
            await api.createAgency(name);
            setName('');
          });
        }}
      >
        <div class="min-w-48 flex-1">
          <input
            class={inputClass}
            name="agencyName"
            aria-label="New agency name"
            placeholder="Agency name"
            value={name}
            onInput={(e) => setName(e.currentTarget.value)}
          />
        </div>
        <Button type="submit" variant="primary">
          Create agency
        </Button>
      </form>
      <table class="min-w-full text-sm" data-testid="admin-agencies">
        <tbody class="divide-y divide-slate-100">
          {agencies.map((a) => (
            <tr key={a.id} data-agency={a.name}>
              <td class="py-1.5 pr-2 font-medium">{a.name}</td>
              <td class="py-1.5 pr-2 text-slate-500">
                {a.clients} clients · {a.staff} staff
              </td>
              <td class="py-1.5">
                <form
                  class="flex gap-2"
                  onSubmit={(e) => {
                    e.preventDefault();
                    const email = invites[a.id] ?? '';
                    void act(async () => {
                      await api.inviteAgencyMember(a.id, email, 'admin');
                      setInvites({ ...invites, [a.id]: '' });
                      setNote(`${email} is invited as an admin of ${a.name}.`);
                    });
                  }}
                >
                  <div class="min-w-48 flex-1">
                    <input
                      class={inputClass}
                      type="email"
                      aria-label={`Invite an admin to ${a.name}`}
                      placeholder="admin@agency.example"
                      value={invites[a.id] ?? ''}
                      onInput={(e) => setInvites({ ...invites, [a.id]: e.currentTarget.value })}
                    />
                  </div>
                  <Button type="submit">Invite admin</Button>
                </form>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Card>
  );
}
