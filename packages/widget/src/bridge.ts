import type { ChatWidgetEvents, IdentifyInput, WidgetOptions, WidgetPosition } from './api.js';

/**
 * How loader.js and widget.js talk. The loader owns the host element, the
 * launcher and the public API; widget.js finds the bridge under a registered
 * symbol (not a named global the page could clobber) and mounts the chat.
 */
export const BRIDGE_KEY: unique symbol = Symbol.for('chatwidget.bridge') as never;

export interface ChatHandle {
  open(): void;
  close(): void;
  identify(input: IdentifyInput): Promise<void>;
}

export interface Bridge {
  options: WidgetOptions;
  host: HTMLElement;
  root: ShadowRoot;
  setBadge(count: number): void;
  setOpen(open: boolean): void;
  setColor(hex: string): void;
  setPosition(position: WidgetPosition): void;
  focusLauncher(): void;
  emit<K extends keyof ChatWidgetEvents>(event: K, payload: ChatWidgetEvents[K]): void;
  /** Called once by widget.js with its mount function. */
  ready(mount: (bridge: Bridge) => ChatHandle): void;
}

export type BridgeHolder = { [BRIDGE_KEY]?: Bridge };
