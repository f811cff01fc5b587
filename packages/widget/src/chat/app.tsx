import type { MessageDto } from '@leaddesk/shared';
import { Fragment } from 'preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { fill, type Strings } from './i18n.js';
import { MessageText } from './message-text.js';
import { type ChatSession, type ChatState, lastSeqOf, type Notice, type OutboxItem } from './session.js';

export interface AppProps {
  session: ChatSession;
  strings: Strings;
  greeting: string;
  logoUrl?: string;
  fallbackName: string;
  theme: 'light' | 'dark';
  position: 'bottom-right' | 'bottom-left';
  /** The tenant's consent line and privacy link, already in the visitor's language. */
  consent?: { text?: string; privacyUrl?: string };
  /** The "Powered by" line: hidden, or an agency's label and link instead of ours. */
  poweredBy?: { hidden?: boolean; label?: string; url?: string };
  /** Named by the default "Powered by" line (white-label: the brand's product, from the server). */
  productName?: string;
  onClose(): void;
}

function useSession(session: ChatSession): ChatState {
  const [state, setState] = useState(session.current);
  useEffect(() => session.subscribe(setState), [session]);
  return state;
}

/** Outbox items whose stored copy already arrived (message:created before the ack) are not drawn twice. */
function visibleOutbox(state: ChatState): OutboxItem[] {
  const recent = state.messages.filter((m) => m.role === 'visitor').slice(-state.outbox.length);
  return state.outbox.filter((o) => o.state !== 'sending' || !recent.some((m) => m.content === o.content));
}

const bubbleBase = 'ld-text max-w-[82%] px-3.5 py-2 text-[14px] leading-[1.45] rounded-2xl';
const mine = `${bubbleBase} ml-auto rounded-br-md bg-brand text-on-brand shadow-sm`;
const theirs = `${bubbleBase} mr-auto rounded-bl-md bg-white text-gray-900 shadow-sm ring-1 ring-gray-200 dark:bg-gray-800 dark:text-gray-100 dark:ring-gray-700`;

const timeOf = (iso: string) => {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? undefined : date.toLocaleString();
};

function Bubble({ message, read, strings }: { message: MessageDto; read: boolean; strings: Strings }) {
  const isVisitor = message.role === 'visitor';
  if (message.role === 'system') {
    return (
      <p class="ld-text mx-auto max-w-[90%] py-1 text-center text-[12px] text-gray-500 dark:text-gray-400">
        {message.content}
      </p>
    );
  }
  return (
    <div class="flex flex-col" data-role={message.role} data-seq={message.seq}>
      <div class={isVisitor ? mine : theirs} data-testid="message" title={timeOf(message.createdAt)}>
        <MessageText text={message.content} />
      </div>
      {isVisitor && read && <span class="mt-0.5 ml-auto text-[11px] text-gray-400">{strings.read}</span>}
    </div>
  );
}

function PendingBubble({
  item,
  status,
  strings,
  onRetry,
}: {
  item: OutboxItem;
  status: ChatState['status'];
  strings: Strings;
  onRetry(): void;
}) {
  const label =
    item.state === 'failed'
      ? strings.failed
      : item.state === 'sending' || status === 'online'
        ? strings.sending
        : strings.queued;
  return (
    <div class="flex flex-col" data-pending={item.state}>
      <div class={`${mine} ${item.state === 'failed' ? 'opacity-60' : 'opacity-80'}`} data-testid="message">
        <MessageText text={item.content} />
      </div>
      <span
        class={`mt-0.5 ml-auto flex items-center gap-1.5 text-[11px] ${item.state === 'failed' ? 'text-red-600 dark:text-red-400' : 'text-gray-400'}`}
      >
        {label}
        {item.state === 'failed' && (
          <button type="button" class="cursor-pointer font-semibold underline" onClick={onRetry}>
            {strings.retry}
          </button>
        )}
      </span>
    </div>
  );
}

function NoticeLine({ notice, strings }: { notice: Notice; strings: Strings }) {
  const text = notice.kind === 'human' ? strings.human : fill(strings[notice.kind], notice.name);
  return <p class="mx-auto py-1 text-center text-[12px] text-gray-500 dark:text-gray-400">{text}</p>;
}

function StatusLine({ state, strings }: { state: ChatState; strings: Strings }) {
  const text = state.staffTyping
    ? fill(strings.staffTyping, state.staffTyping)
    : state.aiStatus !== 'idle' && state.streams.length === 0
      ? strings[state.aiStatus]
      : null;
  if (!text) return null;
  return (
    <div class="flex items-center gap-2 py-1 text-[12px] text-gray-500 dark:text-gray-400" data-testid="ai-status">
      <span class="flex gap-0.5" aria-hidden="true">
        <span class="ld-dot size-1.5 rounded-full bg-gray-400" />
        <span class="ld-dot size-1.5 rounded-full bg-gray-400" />
        <span class="ld-dot size-1.5 rounded-full bg-gray-400" />
      </span>
      {text}
    </div>
  );
}

function Avatar({ name, logoUrl }: { name: string; logoUrl?: string }) {
  const [broken, setBroken] = useState(false);
  if (logoUrl && !broken) {
    return (
      <img
        src={logoUrl}
        alt=""
        class="size-10 shrink-0 rounded-full bg-white object-cover ring-2 ring-white/40"
        onError={() => setBroken(true)}
      />
    );
  }
  return (
    <span
      aria-hidden="true"
      class="grid size-10 shrink-0 place-items-center rounded-full bg-white/20 text-[16px] font-semibold"
    >
      {name.trim().charAt(0).toUpperCase() || '?'}
    </span>
  );
}

export function App(props: AppProps) {
  const { session, strings } = props;
  const state = useSession(session);
  const name = state.businessName ?? props.fallbackName;
  const [draft, setDraft] = useState('');
  const listRef = useRef<HTMLDivElement>(null);
  const inputRef = useRef<HTMLTextAreaElement>(null);
  const typingTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  // Focus the composer when the panel opens.
  useEffect(() => {
    if (state.open) inputRef.current?.focus();
  }, [state.open]);

  // Keep the newest message in view while the visitor is at the bottom.
  const streamLength = state.streams.reduce((n, s) => n + s.parts.join('').length, 0);
  useLayoutEffect(() => {
    const list = listRef.current;
    if (list) list.scrollTop = list.scrollHeight;
  }, [state.messages.length, state.outbox.length, streamLength, state.aiStatus, state.open]);

  // Grow the textarea with its content, up to its max height.
  useLayoutEffect(() => {
    const input = inputRef.current;
    if (!input) return;
    input.style.height = 'auto';
    input.style.height = `${input.scrollHeight}px`;
  }, [draft]);

  const submit = () => {
    if (!draft.trim() || state.status === 'unavailable') return;
    session.send(draft);
    setDraft('');
    clearTimeout(typingTimer.current);
    session.typing(false);
  };

  const onInput = (value: string) => {
    setDraft(value);
    if (!typingTimer.current) session.typing(true);
    clearTimeout(typingTimer.current);
    typingTimer.current = setTimeout(() => {
      typingTimer.current = undefined;
      session.typing(false);
    }, 2000);
  };

  const lastSeq = lastSeqOf(state.messages);
  const lastReply = [...state.messages].reverse().find((m) => m.role !== 'visitor');
  const statusText =
    state.status === 'online'
      ? strings.online
      : state.status === 'unavailable'
        ? strings.unavailable
        : state.status === 'offline'
          ? strings.offline
          : strings.connecting;
  const dot =
    state.status === 'online' ? 'bg-emerald-400' : state.status === 'unavailable' ? 'bg-red-400' : 'bg-amber-300';
  const side = props.position === 'bottom-left' ? 'left-5' : 'right-5';
  const notices = state.notices;

  return (
    <div class="ld-root" data-theme={props.theme}>
      <section
        id="ld-panel"
        role="dialog"
        aria-label={name}
        hidden={!state.open}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.stopPropagation();
            props.onClose();
          }
        }}
        class={`fixed bottom-24 ${side} z-[2147483000] flex h-[min(640px,calc(100vh-120px))] w-[380px] flex-col overflow-hidden rounded-2xl bg-white shadow-2xl ring-1 ring-black/10 dark:bg-gray-900 dark:ring-white/10 mobile:inset-0 mobile:h-auto mobile:w-auto mobile:rounded-none`}
        data-testid="panel"
      >
        <header class="flex shrink-0 items-center gap-3 bg-brand px-4 py-3.5 text-on-brand">
          <Avatar name={name} logoUrl={props.logoUrl} />
          <div class="min-w-0 flex-1">
            <h2 class="truncate text-[15px] font-semibold leading-tight" data-testid="business-name">
              {name}
            </h2>
            <p class="mt-0.5 flex items-center gap-1.5 text-[12px] opacity-90" data-testid="connection">
              <span class={`size-2 shrink-0 rounded-full ${dot}`} aria-hidden="true" />
              <span class="truncate">{state.status === 'offline' ? strings.connecting : statusText}</span>
            </p>
          </div>
          <button
            type="button"
            aria-label={strings.close}
            onClick={props.onClose}
            class="grid size-9 cursor-pointer place-items-center rounded-full hover:bg-white/15 focus-visible:outline-2 focus-visible:outline-current"
          >
            <svg
              width="20"
              height="20"
              viewBox="0 0 24 24"
              fill="none"
              stroke="currentColor"
              stroke-width="2.2"
              stroke-linecap="round"
              aria-hidden="true"
            >
              <path d="M6 6l12 12M18 6L6 18" />
            </svg>
          </button>
        </header>

        {state.status === 'online' && state.errorCode === 'rate_limited' && (
          <div
            role="status"
            class="shrink-0 bg-amber-50 px-4 py-2 text-[12px] text-amber-900 dark:bg-amber-950 dark:text-amber-100"
            data-testid="banner"
          >
            {strings.slowDown}
          </div>
        )}
        {(state.status === 'offline' || state.status === 'unavailable') && (
          <div
            role="status"
            class={`shrink-0 px-4 py-2 text-[12px] ${state.status === 'unavailable' ? 'bg-red-50 text-red-800 dark:bg-red-950 dark:text-red-200' : 'bg-amber-50 text-amber-900 dark:bg-amber-950 dark:text-amber-100'}`}
            data-testid="banner"
          >
            {state.status === 'unavailable' ? strings.unavailable : strings.offline}
          </div>
        )}

        <div
          ref={listRef}
          role="log"
          aria-label={strings.messages}
          aria-live="off"
          // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard (WCAG 2.1.1)
          tabIndex={0}
          class="flex flex-1 flex-col gap-2 overflow-y-auto bg-gray-50 px-4 py-4 focus:outline-none dark:bg-gray-950"
          data-testid="messages"
        >
          {props.greeting && <div class={theirs}>{props.greeting}</div>}
          {notices
            .filter((n) => n.afterSeq === 0)
            .map((n) => (
              <NoticeLine key={n.id} notice={n} strings={strings} />
            ))}
          {state.messages.map((m) => (
            <Fragment key={m.id}>
              <Bubble message={m} read={m.seq <= state.readUpTo} strings={strings} />
              {notices
                .filter((n) => n.afterSeq === m.seq)
                .map((n) => (
                  <NoticeLine key={n.id} notice={n} strings={strings} />
                ))}
            </Fragment>
          ))}
          {visibleOutbox(state).map((item) => (
            <PendingBubble
              key={item.clientMessageId}
              item={item}
              status={state.status}
              strings={strings}
              onRetry={() => session.retry(item.clientMessageId)}
            />
          ))}
          {state.streams.map((s) => (
            <div key={s.messageId} class={`${theirs} ld-caret`} data-testid="streaming">
              <MessageText text={s.parts.join('')} />
            </div>
          ))}
          <StatusLine state={state} strings={strings} />
        </div>

        {state.quickReplies.length > 0 && lastReply && lastReply.seq === lastSeq && (
          <fieldset
            aria-label={strings.suggestions}
            class="flex shrink-0 flex-wrap gap-2 bg-gray-50 px-4 pb-3 dark:bg-gray-950"
          >
            {state.quickReplies.map((q) => (
              <button
                key={q.id}
                type="button"
                data-testid="quick-reply"
                onClick={() => session.send(q.label, q.id)}
                class="cursor-pointer rounded-full border border-brand bg-white px-3 py-1.5 text-[13px] font-medium text-brand transition-colors hover:bg-brand hover:text-on-brand focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand dark:bg-gray-900"
              >
                {q.label}
              </button>
            ))}
          </fieldset>
        )}

        <form
          class="flex shrink-0 items-end gap-2 border-t border-gray-200 bg-white p-3 dark:border-gray-800 dark:bg-gray-900"
          onSubmit={(e) => {
            e.preventDefault();
            submit();
          }}
        >
          <textarea
            ref={inputRef}
            rows={1}
            maxLength={4000}
            value={draft}
            aria-label={strings.placeholder}
            placeholder={strings.placeholder}
            disabled={state.status === 'unavailable'}
            onInput={(e) => onInput(e.currentTarget.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
                e.preventDefault();
                submit();
              }
            }}
            class="max-h-32 min-h-10 flex-1 resize-none rounded-xl border border-gray-300 bg-white px-3 py-2 text-[14px] leading-[1.4] text-gray-900 placeholder:text-gray-400 focus:border-brand focus:outline-none focus:ring-2 focus:ring-brand/30 dark:border-gray-700 dark:bg-gray-800 dark:text-gray-100"
            data-testid="composer"
          />
          <button
            type="submit"
            aria-label={strings.send}
            disabled={!draft.trim() || state.status === 'unavailable'}
            class="grid size-10 shrink-0 cursor-pointer place-items-center rounded-full bg-brand text-on-brand transition-opacity disabled:cursor-default disabled:opacity-40 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand"
          >
            <svg width="18" height="18" viewBox="0 0 24 24" fill="currentColor" aria-hidden="true">
              <path d="M3.4 20.4 21 12 3.4 3.6l-.01 6.53L15 12 3.39 13.87z" />
            </svg>
          </button>
        </form>
        <Footer strings={strings} consent={props.consent} poweredBy={props.poweredBy} productName={props.productName} />
        <div class="sr-only" aria-live="polite" aria-atomic="true" data-testid="announcer">
          {lastReply ? `${fill(strings.newFrom, name)}: ${lastReply.content}` : ''}
        </div>
      </section>
    </div>
  );
}

const footerLine =
  'shrink-0 bg-white px-3 pb-2 text-center text-[11px] text-gray-400 dark:bg-gray-900 dark:text-gray-500';
const footerLink = 'underline hover:text-gray-600 dark:hover:text-gray-300';

/** Under the composer: the tenant's consent line with its privacy link, then "Powered by" (unless white-labelled). */
function Footer(props: Pick<AppProps, 'consent' | 'poweredBy' | 'productName'> & { strings: Strings }) {
  const { strings } = props;
  // Links come from the tenant's settings, checked by the server; checked again here (never `javascript:`).
  const web = (url?: string) => (url && /^https?:\/\//i.test(url) ? url : undefined);
  const consent = props.consent && { text: props.consent.text, privacyUrl: web(props.consent.privacyUrl) };
  const poweredBy = props.poweredBy && { ...props.poweredBy, url: web(props.poweredBy.url) };
  const link = (href: string, text: string, testId: string) => (
    <a href={href} target="_blank" rel="noopener noreferrer" class={footerLink} data-testid={testId}>
      {text}
    </a>
  );
  // The bundle names no product: the line is the server's label, or "Powered by" and the brand's name.
  const powered = poweredBy?.label ?? (props.productName ? `${strings.powered} ${props.productName}` : '');
  return (
    <Fragment>
      {(consent?.text || consent?.privacyUrl) && (
        <p class={footerLine} data-testid="consent">
          {consent.text}
          {consent.text && consent.privacyUrl ? ' ' : ''}
          {consent.privacyUrl && link(consent.privacyUrl, strings.privacy, 'privacy-link')}
        </p>
      )}
      {!poweredBy?.hidden && powered && (
        <p class={footerLine} data-testid="powered-by">
          {poweredBy?.url ? link(poweredBy.url, powered, 'powered-link') : powered}
        </p>
      )}
    </Fragment>
  );
}
