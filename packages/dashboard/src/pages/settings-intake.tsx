import type { ContentLanguage, QualificationQuestion } from '@leaddesk/shared';
import { QUESTION_TYPES } from '@leaddesk/shared';
import { useEffect, useRef, useState } from 'preact/hooks';
import { Button, cx, inputClass } from '../ui.js';

/** The intake questions editor: order (drag or keyboard), type, options, and the question in each language. */
export function IntakeBuilder({
  questions,
  onChange,
}: {
  questions: QualificationQuestion[];
  onChange: (q: QualificationQuestion[]) => void;
}) {
  const [drag, setDrag] = useState<number | null>(null);
  const [announcement, setAnnouncement] = useState('');
  /** After a keyboard move: which row and control to focus once the list re-rendered. */
  const [refocus, setRefocus] = useState<{ id: string; selector: string } | null>(null);
  const list = useRef<HTMLDivElement>(null);
  const set = (i: number, p: Partial<QualificationQuestion>) =>
    onChange(questions.map((q, j) => (j === i ? { ...q, ...p } : q)));
  const move = (from: number, to: number, focus?: string) => {
    if (to < 0 || to >= questions.length || from === to) return;
    const next = [...questions];
    const [moved] = next.splice(from, 1);
    if (!moved) return;
    next.splice(to, 0, moved);
    onChange(next);
    setAnnouncement(`“${moved.question}” moved to position ${to + 1} of ${next.length}.`);
    if (focus) setRefocus({ id: moved.id, selector: focus });
  };
  useEffect(() => {
    if (!refocus || !list.current) return;
    const row = list.current.querySelector<HTMLElement>(`[data-question-id="${CSS.escape(refocus.id)}"]`);
    // A move button that is now disabled (the row reached an end) hands focus to its sibling.
    const target =
      row?.querySelector<HTMLElement>(`${refocus.selector}:not(:disabled)`) ??
      row?.querySelector<HTMLElement>('[data-move]:not(:disabled)');
    target?.focus();
    setRefocus(null);
  }, [refocus, questions]);
  return (
    <div class="space-y-2" ref={list}>
      <p class="text-xs text-slate-500">
        The AI asks them in this order. Drag a row, or use its arrows (Alt+↑ / Alt+↓ from any field of the row).
      </p>
      {questions.map((q, i) => (
        // biome-ignore lint/a11y/noStaticElementInteractions: pointer drag and the row's Alt+Arrow shortcut; each row also has move buttons
        <div
          key={q.id}
          data-question-id={q.id}
          draggable
          onDragStart={() => setDrag(i)}
          onDragOver={(e) => e.preventDefault()}
          onDrop={() => {
            if (drag === null || drag === i) return;
            move(drag, i);
            setDrag(null);
          }}
          onKeyDown={(e) => {
            if (!e.altKey || (e.key !== 'ArrowUp' && e.key !== 'ArrowDown')) return;
            e.preventDefault();
            const field = (e.target as HTMLElement).getAttribute('data-field');
            move(i, e.key === 'ArrowUp' ? i - 1 : i + 1, field ? `[data-field="${field}"]` : '[data-move]');
          }}
          class="flex flex-wrap items-center gap-2 rounded-lg bg-slate-50 p-2 ring-1 ring-slate-200"
        >
          <span class="cursor-grab text-slate-400" title="Drag to reorder" aria-hidden="true">
            ⋮⋮
          </span>
          <span class="flex flex-col">
            <button
              type="button"
              data-move="up"
              class="grid size-6 place-items-center rounded text-xs text-slate-500 hover:bg-slate-200 hover:text-slate-900 disabled:opacity-30 disabled:hover:bg-transparent"
              aria-label={`Move “${q.question}” up`}
              disabled={i === 0}
              onClick={() => move(i, i - 1, '[data-move="up"]')}
            >
              ▲
            </button>
            <button
              type="button"
              data-move="down"
              class="grid size-6 place-items-center rounded text-xs text-slate-500 hover:bg-slate-200 hover:text-slate-900 disabled:opacity-30 disabled:hover:bg-transparent"
              aria-label={`Move “${q.question}” down`}
              disabled={i === questions.length - 1}
              onClick={() => move(i, i + 1, '[data-move="down"]')}
            >
              ▼
            </button>
          </span>
          <input
            data-field="question"
            aria-label={`Question ${i + 1}`}
            class={cx(inputClass, 'min-w-40 flex-1')}
            value={q.question}
            onInput={(e) => set(i, { question: e.currentTarget.value })}
          />
          <select
            data-field="type"
            aria-label={`Answer type of question ${i + 1}`}
            class={cx(inputClass, 'w-36')}
            value={q.type}
            onChange={(e) => set(i, { type: e.currentTarget.value as QualificationQuestion['type'] })}
          >
            {QUESTION_TYPES.map((t) => (
              <option key={t} value={t}>
                {t.replace('_', ' ')}
              </option>
            ))}
          </select>
          {q.type === 'multiple_choice' && (
            <input
              data-field="options"
              class={cx(inputClass, 'w-48')}
              placeholder="Options, comma separated"
              value={q.options.join(', ')}
              onChange={(e) =>
                set(i, {
                  options: e.currentTarget.value
                    .split(',')
                    .map((o) => o.trim())
                    .filter(Boolean),
                })
              }
            />
          )}
          <label class="flex items-center gap-1 text-xs">
            <input
              data-field="required"
              type="checkbox"
              checked={q.required}
              onChange={(e) => set(i, { required: e.currentTarget.checked })}
            />
            required
          </label>
          <QuestionTranslations question={q} index={i} onChange={(translations) => set(i, { translations })} />
          <button
            type="button"
            class="text-slate-400"
            aria-label={`Remove “${q.question}”`}
            onClick={() => onChange(questions.filter((_, j) => j !== i))}
          >
            ×
          </button>
        </div>
      ))}
      <p class="sr-only" aria-live="polite" data-testid="intake-announcement">
        {announcement}
      </p>
      <Button
        onClick={() =>
          onChange([
            ...questions,
            {
              id: `q${Date.now().toString(36)}`,
              field: `custom_${questions.length + 1}`,
              question: 'New question',
              type: 'free_text',
              options: [],
              required: false,
              translations: {},
            },
          ])
        }
      >
        + Add question
      </Button>
    </div>
  );
}

const LANGUAGE_NAMES: Record<Exclude<ContentLanguage, 'en'>, string> = {
  es: 'Español',
  fr: 'Français',
  de: 'Deutsch',
  pt: 'Português',
  it: 'Italiano',
};

/**
 * The question in the visitor's language. An empty field falls back to the
 * built-in phrasing for the question's field in that language, never to English.
 */
function QuestionTranslations({
  question,
  index,
  onChange,
}: {
  question: QualificationQuestion;
  index: number;
  onChange: (t: QualificationQuestion['translations']) => void;
}) {
  const translations = question.translations ?? {};
  const done = Object.values(translations).filter((t) => t?.question).length;
  const setLang = (lang: keyof typeof LANGUAGE_NAMES, p: { question?: string; options?: string[] }) => {
    const current = translations[lang] ?? { question: '' };
    const next = { ...current, ...p };
    const rest = { ...translations };
    if (!next.question.trim()) delete rest[lang];
    else rest[lang] = next;
    onChange(rest);
  };
  return (
    <details class="w-full text-xs" data-field="translations">
      <summary class="cursor-pointer text-slate-500">Languages ({done}/5 translated)</summary>
      <div class="mt-2 grid gap-2 md:grid-cols-2">
        {(Object.keys(LANGUAGE_NAMES) as Array<keyof typeof LANGUAGE_NAMES>).map((lang) => (
          <div key={lang} class="space-y-1" data-lang={lang}>
            <input
              aria-label={`Question ${index + 1} in ${LANGUAGE_NAMES[lang]}`}
              class={inputClass}
              placeholder={`${LANGUAGE_NAMES[lang]}: built-in phrasing when empty`}
              value={translations[lang]?.question ?? ''}
              onInput={(e) => setLang(lang, { question: e.currentTarget.value })}
            />
            {question.type === 'multiple_choice' && (
              <input
                aria-label={`Options of question ${index + 1} in ${LANGUAGE_NAMES[lang]}`}
                class={inputClass}
                placeholder="Options in the same order, comma separated"
                value={(translations[lang]?.options ?? []).join(', ')}
                onChange={(e) =>
                  setLang(lang, {
                    options: e.currentTarget.value
                      .split(',')
                      .map((o) => o.trim())
                      .filter(Boolean),
                  })
                }
              />
            )}
          </div>
        ))}
      </div>
    </details>
  );
}
