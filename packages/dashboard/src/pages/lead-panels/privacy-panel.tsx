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
 * everything kept about the lead as a JSON file; "Erase lead…" opens a
 * disclosure that deletes it everywhere once the lead's name (or "erase") is
 * typed. Each shows only to roles allowed to do it.
 */
export function PrivacyPanel(props: { lead: LeadDto; canExport: boolean; canErase: boolean; onErased: () => void }) {
  const { lead } = props;
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (!props.canExport && !props.canErase) return null;

  /** One request at a time; its failure shows under the row. */
  const act = (work: () => Promise<void>) => {
    setError(null);
    setBusy(true);
    work()
      .catch((e: Error) => setError(e.message))
      .finally(() => setBusy(false));
  };
  const downloadData = async () => {
    const a = document.createElement('a');
    a.href = URL.createObjectURL(await api.exportLead(lead.id));
    // The name the server's Content-Disposition gives too.
    a.download = `lead-${lead.id}.json`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
  };
  const erase = async () => {
    await api.eraseLead(lead.id);
    props.onErased();
  };

  return (
    <div class="mt-4 space-y-2 text-sm" data-testid="lead-privacy">
      {props.canExport && (
        <Button onClick={() => act(downloadData)} disabled={busy}>
          Download data
        </Button>
      )}
      {props.canErase && (
        // A disclosure, closed by default: erasing takes opening it, reading, and typing the name.
        <details class="rounded-md bg-rose-50 p-3 text-rose-700">
          <summary class="cursor-pointer">Erase lead…</summary>
          <p class="mt-2">Deletes the lead and all its records, here and in the CRM. This cannot be undone.</p>
          <label class="flex flex-col gap-1">
            <span>
              Type {lead.name && <strong>{lead.name}</strong>}
              {lead.name && ' or '}
              <strong>erase</strong> to confirm
            </span>
            <input
              class={inputClass}
              name="erase-confirmation"
              value={typed}
              onInput={(e) => setTyped(e.currentTarget.value)}
            />
          </label>
          <Button
            variant="danger"
            class="mt-2"
            disabled={busy || !erasureConfirmed(lead, typed)}
            onClick={() => act(erase)}
          >
            Erase permanently
          </Button>
        </details>
      )}
      {error && <ErrorNote error={error} />}
    </div>
  );
}
