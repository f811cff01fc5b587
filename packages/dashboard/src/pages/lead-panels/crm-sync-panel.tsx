import type { CrmSyncDto } from '@leaddesk/shared';
import { useEffect, useState } from 'preact/hooks';
import { api } from '../../api.js';
import { Badge, Button } from '../../ui.js';

const TONE: Record<CrmSyncDto['state'], string> = {
  synced: 'bg-emerald-100 text-emerald-800',
  pending: 'bg-amber-100 text-amber-800',
  failed: 'bg-rose-100 text-rose-800',
  not_synced: 'bg-slate-100 text-slate-700',
};

/**
 * The lead's HubSpot sync state on its page: synced (with links to the
 * records), pending, or failed with HubSpot's reason, and "Sync now". Shows
 * nothing for a lead that was never synced (HubSpot not connected).
 */
export function CrmSyncPanel({ leadId }: { leadId: string }) {
  const [sync, setSync] = useState<CrmSyncDto | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    const load = () =>
      api
        .leadCrm(leadId)
        .then((s) => live && setSync(s))
        .catch(() => undefined);
    void load();
    // A pending sync finishes in seconds: look again until it settles.
    const timer = setInterval(() => {
      if (sync?.state === 'pending') void load();
    }, 3000);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [leadId, sync?.state]);
  if (!sync || sync.state === 'not_synced') return null;
  return (
    <div class="mt-4 flex flex-wrap items-center gap-2 text-sm" data-testid="crm-sync">
      <span class="text-xs font-semibold text-slate-500 uppercase">HubSpot</span>
      <Badge tone={TONE[sync.state]}>{sync.state.replace('_', ' ')}</Badge>
      {sync.error && <span class="text-rose-700">{sync.error}</span>}
      {sync.contactUrl && (
        <a href={sync.contactUrl} target="_blank" rel="noreferrer" class="text-indigo-700 hover:underline">
          Contact
        </a>
      )}
      {sync.dealUrl && (
        <a href={sync.dealUrl} target="_blank" rel="noreferrer" class="text-indigo-700 hover:underline">
          Deal
        </a>
      )}
      {sync.syncedAt && <span class="text-slate-500">synced {new Date(sync.syncedAt).toLocaleString()}</span>}
      <Button
        variant="ghost"
        onClick={() =>
          api
            .syncLeadCrm(leadId)
            .then(setSync)
            .catch((e: Error) => setError(e.message))
        }
      >
        Sync now
      </Button>
      {error && <span class="text-rose-700">{error}</span>}
    </div>
  );
}
