import type { Role } from '@leaddesk/shared';
import { useState } from 'preact/hooks';
import { type AgencyStaffMember, agencyApi } from '../api.js';
import { Button, Card, ErrorNote, inputClass } from '../ui.js';
import { useReloadingActions } from '../use-reloading-actions.js';

const ROLES: Role[] = ['admin', 'manager', 'agent', 'viewer'];

/**
 * Agency admins (issue 18): the agency's own staff, who act with their role
 * in any of its clients. Invite by email, change a role, disable (which ends
 * their sessions).
 */
export function AgencyStaffCard({ selfId }: { selfId: string }) {
  const [rows, setRows] = useState<AgencyStaffMember[]>([]);
  const [form, setForm] = useState<{ email: string; role: Role }>({ email: '', role: 'agent' });
  const { error, act } = useReloadingActions(() => agencyApi.staff().then((r) => setRows(r.data)));
  return (
    <Card title="Agency staff">
      <ErrorNote error={error} />
      <form
        class="mb-3 flex flex-wrap gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          void act(async () => {
            await agencyApi.invite(form.email, form.role);
            setForm({ ...form, email: '' });
          });
        }}
      >
        {/* inputClass is full width: each field's width is its wrapper's. */}
        <div class="min-w-48 flex-1">
          <input
            class={inputClass}
            type="email"
            name="inviteEmail"
            aria-label="Email to invite"
            placeholder="name@agency.example"
            value={form.email}
            onInput={(e) => setForm({ ...form, email: e.currentTarget.value })}
          />
        </div>
        <div class="w-32">
          <select
            class={inputClass}
            aria-label="Role of the invited member"
            value={form.role}
            onChange={(e) => setForm({ ...form, role: e.currentTarget.value as Role })}
          >
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </div>
        <Button type="submit" variant="primary">
          Invite
        </Button>
      </form>
      <table class="min-w-full text-sm" data-testid="agency-staff">
        <tbody class="divide-y divide-slate-100">
          {rows.map((u) => (
            <tr key={u.id} data-email={u.email}>
              <td class="py-1.5 pr-2 font-medium">{u.name}</td>
              <td class="py-1.5 pr-2 text-slate-500">{u.email}</td>
              <td class="py-1.5 pr-2">{u.status}</td>
              <td class="w-32 py-1.5">
                <select
                  class={inputClass}
                  aria-label={`Role of ${u.email}`}
                  value={u.role}
                  disabled={u.id === selfId}
                  onChange={(e) => act(() => agencyApi.updateStaff(u.id, { role: e.currentTarget.value as Role }))}
                >
                  {ROLES.map((r) => (
                    <option key={r} value={r}>
                      {r}
                    </option>
                  ))}
                </select>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Card>
  );
}
