import type { LeadDto } from '@leaddesk/shared';
import { useState } from 'preact/hooks';
import { api } from '../../api.js';
import { Button, ErrorNote, inputClass } from '../../ui.js';

/** What confirms an erasure: the lead's name as shown, or the word "erase" (for a lead without a name). */
export function erasureConfirmed(lead: Pick<LeadDto, 'name'>, typed: string): boolean {
  const t = typed.trim().toLowerCase();
  if (!t) return false;
  return t === 'erase' || (!!lead.name && t === lead.name.trim().toLowerCase());
}

/**
 * The lead page's privacy actions (issue 18): "Download data" saves
 * everything kept about the lead as a JSON file; "Erase lead" deletes it
 * everywhere once the lead's name (or "erase") is typed. Each shows only to
 * roles allowed to do it.
 */
export function PrivacyPanel(props: { lead: LeadDto; canExport: boolean; canErase: boolean; onErased: () => void }) {
  const { lead } = props;
  const [confirming, setConfirming] = useState(false);
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (!props.canExport && !props.canErase) return null;

  const downloadData = async () => {
    setError(null);
    setBusy(true);
    try {
      const { blob, filename } = await api.exportLead(lead.id);
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = filename;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const erase = async () => {
    setError(null);
    setBusy(true);
    try {
      await api.eraseLead(lead.id);
      props.onErased();
    } catch (e) {
      setError((e as Error).message);
      setBusy(false);
    }
  };

  return (
    <div class="mt-4 space-y-2 border-t border-slate-200 pt-3 text-sm" data-testid="lead-privacy">
      <div class="flex flex-wrap items-center gap-2">
        <span class="text-xs font-semibold text-slate-500 uppercase">Privacy</span>
        {props.canExport && (
          <Button onClick={() => void downloadData()} disabled={busy}>
            Download data
          </Button>
        )}
        {props.canErase && !confirming && (
          <Button variant="ghost" class="text-rose-700" onClick={() => setConfirming(true)}>
            Erase lead…
          </Button>
        )}
      </div>
      {confirming && (
        <div
          class="space-y-2 rounded-md bg-rose-50 p-3 ring-1 ring-rose-200"
          role="alertdialog"
          aria-label="Erase lead"
        >
          <p class="text-rose-900">
            This deletes the lead, its conversations and messages, bookings and follow-ups everywhere, and asks the
            connected CRM to delete its contact. It cannot be undone.
          </p>
          <label class="flex flex-col gap-1 text-slate-600">
            {lead.name ? (
              <span>
                Type <strong>{lead.name}</strong> or <strong>erase</strong> to confirm
              </span>
            ) : (
              <span>
                Type <strong>erase</strong> to confirm
              </span>
            )}
            <input
              class={inputClass}
              name="erase-confirmation"
              value={typed}
              onInput={(e) => setTyped(e.currentTarget.value)}
              autocomplete="off"
            />
          </label>
          <div class="flex gap-2">
            <Button variant="danger" disabled={busy || !erasureConfirmed(lead, typed)} onClick={() => void erase()}>
              Erase permanently
            </Button>
            <Button
              variant="ghost"
              onClick={() => {
                setConfirming(false);
                setTyped('');
              }}
            >
              Cancel
            </Button>
          </div>
        </div>
      )}
      {error && <ErrorNote error={error} />}
    </div>
  );
}
