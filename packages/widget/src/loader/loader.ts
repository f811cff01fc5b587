/**
 * loader.js: what the snippet loads.
 *   <script src="https://HOST/widget/loader.js" data-site-key="pk_…" async></script>
 * Draws the launcher in a Shadow DOM at once, installs `window.ChatWidget`, and
 * fetches the chat (widget.<lang>.<hash>.js) only when the visitor shows
 * intent: the pointer on the launcher, focus on it, a touch, or a while of
 * idle time on the page. A returning visitor with a conversation in progress
 * gets it at once, so replies that came while they were away reach the badge.
 * Loading the snippet twice is harmless: the second copy does nothing.
 * Built twice: loader.js (neutral names only) and loader.legacy.js, which adds
 * the deprecated platform-named aliases (`__LD_LEGACY__`, ./legacy-api.ts).
 */
import type { ChatWidgetApi, ChatWidgetEvents, ChatWidgetListener, IdentifyInput } from '../api.js';
import { BRIDGE_KEY, type Bridge, type BridgeHolder, type ChatHandle } from '../bridge.js';
import { adoptCss } from '../dom/adopt-css.js';
import { isHexColor, textOn } from '../dom/color.js';
import { ELEMENT_NAME, READY_EVENT, storagePrefix } from '../names.js';
import { launcherLabels } from './labels.js';
import { createLauncher } from './launcher.js';
import { installLegacyGlobal, LEGACY_ELEMENT_NAME, LEGACY_READY_EVENT } from './legacy-api.js';
import { migrateStorage } from './migrate-storage.js';
import { readOptions } from './read-options.js';

declare const __LD_LOADER_CSS__: string;
declare const __LD_CHAT_HASH__: string;
/** Space-separated; the first is the fallback. */
declare const __LD_CHAT_LANGUAGES__: string;
/** true in loader.legacy.js only: esbuild drops every `if (__LD_LEGACY__)` branch from loader.js. */
declare const __LD_LEGACY__: boolean;

const VERSION = '0.1.0';
/**
 * With `data-load="intent"` (the default), how long after the page's load
 * event the chat is fetched anyway, when the browser is idle: someone still
 * reading after this long may well ask something, and the click then finds
 * the chat ready. A page view that ends sooner costs the loader alone.
 */
const IDLE_DELAY_MS = 10_000;

function findScript(): HTMLScriptElement | null {
  const current = document.currentScript;
  if (current instanceof HTMLScriptElement && current.dataset.siteKey) return current;
  return document.querySelector<HTMLScriptElement>('script[data-site-key][src*="loader"]');
}

function start(): void {
  const holder = window as unknown as BridgeHolder;
  // The legacy loader keeps the old element, so host-page CSS aimed at it still applies.
  const elementName = __LD_LEGACY__ ? LEGACY_ELEMENT_NAME : ELEMENT_NAME;
  if (holder[BRIDGE_KEY] || document.querySelector(elementName)) return;
  const script = findScript();
  const options = script && readOptions(script);
  if (!options) {
    console.warn('[chat widget] loader.js needs a data-site-key attribute');
    return;
  }
  migrateStorage(options.siteKey);

  const host = document.createElement(elementName);
  const root = host.attachShadow({ mode: 'open' });
  adoptCss(root, __LD_LOADER_CSS__);
  const labels = launcherLabels(options.language);
  const launcher = createLauncher(root, labels);
  launcher.setState('closed');
  launcher.setPosition(options.position ?? 'bottom-right');
  const mountPoint = document.createElement('div');
  mountPoint.id = 'ld-chat';
  mountPoint.style.display = 'contents';
  root.append(mountPoint);

  const setColor = (hex: string) => {
    if (!isHexColor(hex)) return;
    host.style.setProperty('--ld-primary', hex);
    host.style.setProperty('--ld-on-primary', textOn(hex));
  };
  if (options.color) setColor(options.color);

  const listeners = new Map<keyof ChatWidgetEvents, Set<(payload: unknown) => void>>();
  let chat: ChatHandle | undefined;
  let isOpen = false;
  let loading = false;
  const waiting: Array<(chat: ChatHandle) => void> = [];

  const load = () => {
    if (chat || loading) return;
    loading = true;
    const tag = document.createElement('script');
    const languages = __LD_CHAT_LANGUAGES__.split(' ');
    const lang = options.language.slice(0, 2);
    tag.src = new URL(
      `widget.${languages.includes(lang) ? lang : languages[0]}.${__LD_CHAT_HASH__}.js`,
      options.assetBase,
    ).href;
    tag.async = true;
    if (script?.nonce) tag.nonce = script.nonce;
    tag.onerror = () => {
      // Let a later click try again (a flaky network should not kill the chat).
      loading = false;
      tag.remove();
      if (!isOpen) launcher.setState('closed');
    };
    (document.head || document.documentElement).append(tag);
  };
  const withChat = (fn: (chat: ChatHandle) => void) => {
    if (chat) fn(chat);
    else {
      waiting.push(fn);
      load();
    }
  };

  const bridge: Bridge = {
    options,
    host,
    root,
    setBadge: launcher.setBadge,
    setOpen(open) {
      isOpen = open;
      launcher.setState(open ? 'open' : 'closed');
    },
    setColor,
    setPosition: launcher.setPosition,
    focusLauncher: () => launcher.button.focus(),
    emit(event, payload) {
      for (const fn of listeners.get(event) ?? []) {
        try {
          fn(payload);
        } catch (err) {
          console.error('[chat widget] listener failed', err);
        }
      }
    },
    ready(mount) {
      if (chat) return;
      chat = mount(bridge);
      for (const fn of waiting.splice(0)) fn(chat);
      bridge.emit('ready', undefined);
    },
  };
  holder[BRIDGE_KEY] = bridge;

  const open = () => {
    if (!chat) launcher.setState('loading');
    withChat((c) => c.open());
  };
  const close = () => {
    if (chat) chat.close();
    else {
      waiting.length = 0;
      launcher.setState('closed');
    }
  };
  launcher.button.addEventListener('click', () => (isOpen ? close() : open()));

  const api: ChatWidgetApi = {
    version: VERSION,
    open,
    close,
    toggle: () => (isOpen ? close() : open()),
    identify: (input: IdentifyInput) =>
      new Promise<void>((resolve, reject) => withChat((c) => c.identify(input).then(resolve, reject))),
    on(event, listener) {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(listener as (payload: unknown) => void);
      return () => api.off(event, listener);
    },
    off<K extends keyof ChatWidgetEvents>(event: K, listener: ChatWidgetListener<K>) {
      listeners.get(event)?.delete(listener as (payload: unknown) => void);
    },
  };
  window.ChatWidget = Object.freeze(api);
  if (__LD_LEGACY__) installLegacyGlobal(window.ChatWidget);

  const attach = () => {
    document.body.append(host);
    // Flags the chat keeps: `open` (the panel was left open on the previous
    // page) and `live` (a conversation in progress, whose replies and unread
    // badge must show without waiting for intent).
    const flag = (key: string) => {
      try {
        return localStorage.getItem(storagePrefix(options.siteKey) + key) === 'true';
      } catch {
        return false;
      }
    };
    if (flag('open')) open();
    else if (flag('live')) load();
    else if (options.load !== 'open') {
      // Pointer or keyboard on the launcher, or a finger on it: the chat
      // arrives in the time between that and the click.
      for (const type of ['pointerenter', 'focus', 'touchstart'])
        launcher.button.addEventListener(type, load, { once: true, passive: true });
      // Save-Data asks for no prefetching.
      const saveData = (navigator as { connection?: { saveData?: boolean } }).connection?.saveData;
      const idle = () =>
        setTimeout(
          () => ('requestIdleCallback' in window ? requestIdleCallback(load, { timeout: 4000 }) : load()),
          options.load === 'idle' ? 0 : IDLE_DELAY_MS,
        );
      if (!saveData) {
        if (document.readyState === 'complete') idle();
        else addEventListener('load', idle, { once: true });
      }
    }
    dispatchEvent(new CustomEvent(READY_EVENT));
    if (__LD_LEGACY__) dispatchEvent(new CustomEvent(LEGACY_READY_EVENT));
  };
  if (document.body) attach();
  else addEventListener('DOMContentLoaded', attach, { once: true });
}

start();
