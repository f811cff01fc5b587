/**
 * @leaddesk/widget public API: the `window.ChatWidget` global that loader.js
 * installs, and the types a host page (or a TypeScript app) can import.
 * Design note: every identifier a host page can see is neutral (no product
 * name), so a white-labelled client's site carries no trace of the platform
 * (docs/white-label.md). `window.LeadDesk` is the deprecated alias, installed
 * only by the platform's own unbranded loader (see loader/legacy-api.ts).
 */
import type { MessageDto } from '@leaddesk/shared';

export type WidgetPosition = 'bottom-right' | 'bottom-left';
export type WidgetTheme = 'light' | 'dark' | 'auto';

/** Resolved options: snippet data attributes first, then the business's config. */
export interface WidgetOptions {
  /** `data-site-key`: the business's public key (`pk_…`). */
  siteKey: string;
  /** `data-server`: origin of the chat server. @default the loader script's origin */
  server: string;
  /** Where loader.js came from; widget.js is loaded from the same place. */
  assetBase: string;
  /** `data-position` @default from the business config, else 'bottom-right' */
  position?: WidgetPosition;
  /** `data-color` (`#rrggbb`) @default from the business config */
  color?: string;
  /** `data-greeting` @default from the business config */
  greeting?: string;
  /** `data-language` @default navigator.language */
  language: string;
  /** `data-theme` @default from the business config ('auto' follows the OS) */
  theme?: WidgetTheme;
  /**
   * `data-load`: when the chat bundle is fetched. `intent`: the pointer or
   * focus on the launcher, a touch on it, or idle time 10 s after the page
   * loaded; `idle`: as soon as the page is idle; `open`: on first open only.
   * A returning visitor with a conversation in progress gets it at once.
   * @default 'intent'
   */
  load: 'intent' | 'idle' | 'open';
}

export interface IdentifyInput {
  name?: string;
  email?: string;
  phone?: string;
  /** Server-signed identity (`userId.expiresAtUnix.hmacHex`) for tenants that require it. */
  identityToken?: string;
}

/** Events a host page can listen to with `ChatWidget.on(...)`. */
export interface ChatWidgetEvents {
  /** A new message in the conversation (from the visitor, the assistant or staff). */
  message: MessageDto;
  open: undefined;
  close: undefined;
  /** The chat bundle is loaded and mounted. */
  ready: undefined;
  /** Unread message count changed. */
  unread: number;
}

export type ChatWidgetListener<K extends keyof ChatWidgetEvents> = (payload: ChatWidgetEvents[K]) => void;

export interface ChatWidgetApi {
  readonly version: string;
  open(): void;
  close(): void;
  toggle(): void;
  /** Tells the business who the visitor is; resolves when the server has it. */
  identify(input: IdentifyInput): Promise<void>;
  /** Returns a function that removes the listener. */
  on<K extends keyof ChatWidgetEvents>(event: K, listener: ChatWidgetListener<K>): () => void;
  off<K extends keyof ChatWidgetEvents>(event: K, listener: ChatWidgetListener<K>): void;
}

/** @deprecated the names before the neutral API; same types. */
export type LeadDeskApi = ChatWidgetApi;
/** @deprecated use ChatWidgetEvents */
export type LeadDeskEvents = ChatWidgetEvents;
/** @deprecated use ChatWidgetListener */
export type LeadDeskListener<K extends keyof ChatWidgetEvents> = ChatWidgetListener<K>;

declare global {
  interface Window {
    ChatWidget?: ChatWidgetApi;
    /**
     * @deprecated the same object as `window.ChatWidget`, kept for embeds from before it, and only on the
     * platform's own unbranded host (never on a white-labelled site).
     */
    LeadDesk?: ChatWidgetApi;
  }
}
