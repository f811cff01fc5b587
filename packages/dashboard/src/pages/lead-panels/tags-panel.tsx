import { useEffect, useState } from 'preact/hooks';
import { ApiError, api } from '../../api.js';
import { Button, cx, inputClass } from '../../ui.js';

/**
 * The lead's tags on its page, as chips: rules add them (`add_tag`), staff
 * with `leads:update` add one in the small input and remove one with its ×.
 * The server trims and checks the tag (1–40 characters); its message is shown.
 */
export function TagsPanel(props: { leadId: string; tags: string[]; canEdit: boolean }) {
  const [tags, setTags] = useState(props.tags);
  const [draft, setDraft] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => setTags(props.tags), [props.leadId, props.tags.join('\n')]);

  const run = async (change: () => Promise<{ tags: string[] }>) => {
    setBusy(true);
    setError(null);
    try {
      setTags((await change()).tags);
      return true;
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'could not change the tags');
      return false;
    } finally {
      setBusy(false);
    }
  };
  const add = async (e: Event) => {
    e.preventDefault();
    if (await run(() => api.addLeadTag(props.leadId, draft))) setDraft('');
  };

  return (
    <div class="mt-4 flex flex-wrap items-center gap-2 text-sm" data-testid="lead-tags">
      <span class="text-xs font-semibold text-slate-500 uppercase">Tags</span>
      {tags.length === 0 && <span class="text-slate-500">None</span>}
      {tags.map((tag) => (
        <span
          key={tag}
          class="inline-flex items-center gap-1 rounded-full bg-indigo-50 py-0.5 pr-1 pl-2 text-xs font-medium text-indigo-800"
          data-testid="lead-tag"
          data-tag={tag}
        >
          {tag}
          {props.canEdit && (
            <button
              type="button"
              class="rounded-full px-1 text-indigo-500 hover:bg-indigo-100 hover:text-indigo-900"
              aria-label={`Remove tag ${tag}`}
              disabled={busy}
              onClick={() => void run(() => api.removeLeadTag(props.leadId, tag))}
            >
              ×
            </button>
          )}
        </span>
      ))}
      {props.canEdit && (
        <form class="flex items-center gap-1" onSubmit={(e) => void add(e)}>
          <input
            name="new-tag"
            class={cx(inputClass, 'w-36 py-1')}
            placeholder="Add a tag"
            aria-label="New tag"
            maxLength={40}
            value={draft}
            onInput={(e) => setDraft(e.currentTarget.value)}
          />
          <Button type="submit" variant="ghost" disabled={busy || draft.trim() === ''}>
            Add
          </Button>
        </form>
      )}
      {error && (
        <span class="text-rose-700" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}
