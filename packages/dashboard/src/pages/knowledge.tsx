import type { IngestionDto, KnowledgeBaseDto, KnowledgeHitDto } from '@leaddesk/shared';
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import { useLatestRequest } from '../latest-request.js';
import type { AppState } from '../main.js';
import { Button, Card, cx, ErrorNote, Field, inputClass } from '../ui.js';

/** Knowledge bases (issue 5's API): upload with progress, FAQ editor, search tester, suggested additions. */
export function KnowledgePage({ state }: { state: AppState }) {
  const [bases, setBases] = useState<KnowledgeBaseDto[]>([]);
  const [selected, setSelected] = useState<string>('');
  const [error, setError] = useState<string | null>(null);
  const [newName, setNewName] = useState('');
  const manage = state.allowed('knowledge:manage');
  const begin = useLatestRequest();
  const load = () => {
    const isLatest = begin();
    return api
      .knowledgeBases()
      .then((r) => {
        if (!isLatest()) return;
        setBases(r.data);
        // Functional update: a stale closure would undo a base picked or created meanwhile.
        setSelected((current) => current || r.data[0]?.id || '');
      })
      .catch((e: Error) => {
        if (isLatest()) setError(e.message);
      });
  };
  useEffect(() => {
    void load();
  }, []);
  const base = bases.find((b) => b.id === selected);
  return (
    <div class="space-y-4 p-4 md:p-6">
      <h1 class="text-xl font-semibold">Knowledge</h1>
      <ErrorNote error={error} />
      <div class="grid gap-4 lg:grid-cols-3">
        <Card title="Knowledge bases">
          <ul class="space-y-1">
            {bases.map((b) => (
              <li key={b.id}>
                <button
                  type="button"
                  onClick={() => setSelected(b.id)}
                  class={cx(
                    'w-full rounded-md px-3 py-2 text-left text-sm',
                    b.id === selected ? 'bg-indigo-50 text-indigo-800' : 'hover:bg-slate-50',
                  )}
                >
                  <div class="font-medium">{b.name}</div>
                  <div class="text-xs text-slate-500">
                    {b.chunkCount} chunks · {b.language}
                  </div>
                </button>
              </li>
            ))}
            {bases.length === 0 && <li class="text-sm text-slate-500">No knowledge base yet.</li>}
          </ul>
          {manage && (
            <form
              class="mt-3 flex gap-2"
              onSubmit={async (e) => {
                e.preventDefault();
                try {
                  const kb = await api.createKnowledgeBase(newName, '');
                  setNewName('');
                  setSelected(kb.id);
                  await load();
                } catch (err) {
                  setError((err as Error).message);
                }
              }}
            >
              <input
                class={inputClass}
                placeholder="New knowledge base"
                value={newName}
                onInput={(e) => setNewName(e.currentTarget.value)}
              />
              <Button type="submit">Add</Button>
            </form>
          )}
        </Card>
        <div class="space-y-4 lg:col-span-2">
          {base && manage && <Upload kb={base} onDone={load} />}
          {base && manage && <FaqEditor kb={base} onDone={load} />}
          <SearchTester kbId={selected || undefined} />
          {manage && base && <Suggestions kb={base} onDone={load} />}
        </div>
      </div>
    </div>
  );
}

function Upload({ kb, onDone }: { kb: KnowledgeBaseDto; onDone: () => void }) {
  const [progress, setProgress] = useState<{ upload: number; ingestion: IngestionDto | null } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const upload = async (file: File) => {
    setError(null);
    setProgress({ upload: 0, ingestion: null });
    try {
      let ingestion = await api.upload(kb.id, file, (f) => setProgress({ upload: f, ingestion: null }));
      setProgress({ upload: 1, ingestion });
      while (ingestion.status !== 'completed' && ingestion.status !== 'failed') {
        await new Promise((r) => setTimeout(r, 700));
        ingestion = await api.ingestion(kb.id, ingestion.id);
        setProgress({ upload: 1, ingestion });
      }
      if (ingestion.status === 'failed') setError(ingestion.error ?? 'ingestion failed');
      onDone();
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const pct = progress ? Math.round((progress.upload * 0.3 + (progress.ingestion?.progress ?? 0) * 0.7) * 100) : 0;
  return (
    <Card title={`Upload to ${kb.name}`}>
      <input
        type="file"
        accept=".txt,.md,.html,.pdf,.docx,.csv"
        class="text-sm"
        onChange={(e) => {
          const file = e.currentTarget.files?.[0];
          if (file) void upload(file);
        }}
      />
      {progress && (
        <div class="mt-3">
          <div
            class="h-2 overflow-hidden rounded-full bg-slate-200"
            role="progressbar"
            aria-valuenow={pct}
            aria-valuemin={0}
            aria-valuemax={100}
          >
            <div class="h-full bg-indigo-600 transition-all" style={{ width: `${pct}%` }} />
          </div>
          <p class="mt-1 text-xs text-slate-500">
            {progress.ingestion
              ? `${progress.ingestion.stage} · ${progress.ingestion.storedChunks}/${progress.ingestion.totalChunks} chunks`
              : 'Uploading…'}
          </p>
        </div>
      )}
      <ErrorNote error={error} />
    </Card>
  );
}

function FaqEditor({ kb, onDone }: { kb: KnowledgeBaseDto; onDone: () => void }) {
  const [question, setQuestion] = useState('');
  const [answer, setAnswer] = useState('');
  const [msg, setMsg] = useState<string | null>(null);
  return (
    <Card title="Add an FAQ">
      <form
        class="space-y-2"
        onSubmit={async (e) => {
          e.preventDefault();
          try {
            await api.addFaq(kb.id, question, answer);
            setMsg('Added');
            setQuestion('');
            setAnswer('');
            onDone();
          } catch (err) {
            setMsg((err as Error).message);
          }
        }}
      >
        <Field label="Question">
          <input class={inputClass} value={question} onInput={(e) => setQuestion(e.currentTarget.value)} />
        </Field>
        <Field label="Answer">
          <textarea class={inputClass} rows={3} value={answer} onInput={(e) => setAnswer(e.currentTarget.value)} />
        </Field>
        <div class="flex items-center gap-2">
          <Button type="submit" variant="primary">
            Save FAQ
          </Button>
          {msg && <span class="text-sm text-slate-500">{msg}</span>}
        </div>
      </form>
    </Card>
  );
}

function SearchTester({ kbId }: { kbId?: string }) {
  const [q, setQ] = useState('');
  const [hits, setHits] = useState<KnowledgeHitDto[] | null>(null);
  const [mode, setMode] = useState('');
  const [error, setError] = useState<string | null>(null);
  return (
    <Card title="Search tester">
      <form
        class="flex gap-2"
        onSubmit={async (e) => {
          e.preventDefault();
          try {
            const res = await api.searchKnowledge(q, kbId);
            setHits(res.hits);
            setMode(res.mode);
          } catch (err) {
            setError((err as Error).message);
          }
        }}
      >
        <input
          class={inputClass}
          placeholder="What would a lead ask?"
          value={q}
          onInput={(e) => setQ(e.currentTarget.value)}
        />
        <Button type="submit">Search</Button>
      </form>
      <ErrorNote error={error} />
      {hits && (
        <ul class="mt-3 space-y-2">
          <li class="text-xs text-slate-500">Mode: {mode.replace('_', ' ')}</li>
          {hits.map((h) => (
            <li key={h.chunkId} class="rounded-md bg-slate-50 p-2 text-sm ring-1 ring-slate-200">
              <div class="mb-1 flex justify-between text-xs text-slate-500">
                <span>{h.source.name}</span>
                <span class="font-mono">score {h.score.toFixed(3)}</span>
              </div>
              {h.content.slice(0, 300)}
            </li>
          ))}
          {hits.length === 0 && <li class="text-sm text-slate-500">No match: a good candidate for a new FAQ.</li>}
        </ul>
      )}
    </Card>
  );
}

function Suggestions({ kb, onDone }: { kb: KnowledgeBaseDto; onDone: () => void }) {
  const [rows, setRows] = useState<Array<{ question: string; count: number; questionIds: string[] }>>([]);
  const [answers, setAnswers] = useState<Record<string, string>>({});
  const load = () =>
    api
      .knowledgeSuggestions()
      .then((r) => setRows(r.data))
      .catch(() => undefined);
  useEffect(() => {
    void load();
  }, []);
  return (
    <Card title="Suggested additions (questions the AI could not answer)">
      {rows.length === 0 && <p class="text-sm text-slate-500">Nothing unanswered.</p>}
      <ul class="space-y-3">
        {rows.map((r) => (
          <li key={r.questionIds[0]} class="space-y-1">
            <div class="text-sm font-medium">
              {r.question} <span class="text-xs text-slate-500">asked {r.count}×</span>
            </div>
            <div class="flex gap-2">
              <input
                class={inputClass}
                placeholder="Answer"
                value={answers[r.question] ?? ''}
                onInput={(e) => setAnswers({ ...answers, [r.question]: e.currentTarget.value })}
              />
              <Button
                onClick={async () => {
                  await api.addFaq(kb.id, r.question, answers[r.question] ?? '');
                  await api.resolveSuggestions(r.questionIds);
                  await load();
                  onDone();
                }}
              >
                Add to {kb.name}
              </Button>
            </div>
          </li>
        ))}
      </ul>
    </Card>
  );
}
