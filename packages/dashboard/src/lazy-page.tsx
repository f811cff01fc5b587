import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ErrorNote } from './ui.js';

export interface LazyPage<P> {
  (props: P): preact.JSX.Element;
  /** Starts fetching the page's chunk (on hover or focus of its link). */
  preload(): void;
}

/**
 * A page whose code is a separate chunk, fetched by `import()` the first time
 * it is shown (or preloaded). A failed fetch (offline, or a deploy that
 * replaced the chunk) shows an error and is tried again on the next visit.
 */
export function lazyPage<P extends object>(load: () => Promise<ComponentType<P>>): LazyPage<P> {
  let loaded: ComponentType<P> | null = null;
  let pending: Promise<ComponentType<P>> | null = null;
  const fetchPage = () => {
    pending ??= load().then(
      (page) => {
        loaded = page;
        return page;
      },
      (err: unknown) => {
        pending = null;
        throw err;
      },
    );
    return pending;
  };
  const Page = (props: P) => {
    const [component, setComponent] = useState<{ page: ComponentType<P> } | null>(loaded ? { page: loaded } : null);
    const [failed, setFailed] = useState(false);
    useEffect(() => {
      if (component) return;
      let live = true;
      fetchPage().then(
        (page) => live && setComponent({ page }),
        () => live && setFailed(true),
      );
      return () => {
        live = false;
      };
    }, []);
    if (component) {
      const Loaded = component.page;
      return <Loaded {...props} />;
    }
    if (failed) {
      return (
        <div class="p-6">
          <ErrorNote error="This page could not be loaded. Check your connection and reload." />
        </div>
      );
    }
    return (
      <div class="p-6 text-sm text-slate-500" role="status">
        Loading…
      </div>
    );
  };
  Page.preload = () => {
    fetchPage().catch(() => undefined);
  };
  return Page;
}
