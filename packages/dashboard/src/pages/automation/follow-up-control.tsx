import type { FollowUpState } from '@leaddesk/shared';
import { useEffect, useState } from 'preact/hooks';
import { api } from '../../api.js';
import { Button } from '../../ui.js';

/**
 * The conversation's follow-up sequence in the inbox header: which step is
 * next and when, with a button to stop it. Refreshed when the timeline grows
 * (`version`), since every step and every stop is a timeline event.
 */
export function FollowUpControl({ conversationId, version }: { conversationId: string; version: number }) {
  const [state, setState] = useState<FollowUpState | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    api
      .followUpState(conversationId)
      .then(setState)
      .catch(() => setState(null));
  }, [conversationId, version]);
  const run = state?.run;
  if (state?.optedOut) {
    return (
      <span class="text-xs text-slate-500" data-testid="follow-ups">
        Opted out of follow-ups
      </span>
    );
  }
  if (!run || run.status !== 'active') return null;
  const when = run.nextDueAt
    ? new Date(run.nextDueAt).toLocaleString([], { weekday: 'short', hour: '2-digit', minute: '2-digit' })
    : '';
  return (
    <span class="flex items-center gap-2 text-xs text-slate-600" data-testid="follow-ups">
      Follow-up {run.stepsSent + 1} of {run.totalSteps}
      {when && ` · ${when}`}
      <Button
        variant="ghost"
        disabled={busy}
        onClick={async () => {
          setBusy(true);
          try {
            setState(await api.stopFollowUps(conversationId));
          } finally {
            setBusy(false);
          }
        }}
      >
        Stop follow-ups
      </Button>
    </span>
  );
}
