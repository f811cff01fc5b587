/**
 * Every identifier the widget leaves on a host page (element, global, events,
 * storage keys), in one place. Neutral on purpose: a white-labelled client's
 * site must not name the platform (docs/white-label.md, issue 18), and the
 * same bundles serve every brand.
 */
export const ELEMENT_NAME = 'chat-widget';
/** Fired on `window` once `window.ChatWidget` is there. */
export const READY_EVENT = 'chatwidget:ready';
/** localStorage keys are `chatwidget:<siteKey>:<key>`. */
export const storagePrefix = (siteKey: string) => `chatwidget:${siteKey}:`;
