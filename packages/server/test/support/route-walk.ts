import type { Express } from 'express';

/** One registered HTTP route of the real app, as Express will match it. */
export interface RegisteredRoute {
  method: string;
  /** Express path with `:params` (mount paths joined); a RegExp route appears as its source. */
  path: string;
}

interface RouterLike {
  stack: LayerLike[];
}
interface LayerLike {
  rawPath?: unknown;
  handle: unknown;
  route?: { path: unknown; methods: Record<string, boolean> };
}

/**
 * Every route registered on the app, found by walking Express's router stack
 * (router 2.x layers: `route` for a route, `handle.stack` for a mounted
 * router, `rawPath` for the mount path). A route added tomorrow is listed
 * without anyone editing a test.
 */
export function listRoutes(app: Express): RegisteredRoute[] {
  const root = (app as unknown as { router: RouterLike }).router;
  const out: RegisteredRoute[] = [];
  const walk = (router: RouterLike, prefix: string) => {
    for (const layer of router.stack) {
      if (layer.route) {
        for (const path of paths(layer.route.path)) {
          for (const method of Object.keys(layer.route.methods)) {
            if (method === '_all') continue;
            out.push({ method: method.toUpperCase(), path: join(prefix, path) });
          }
        }
        continue;
      }
      const inner = layer.handle as Partial<RouterLike> | undefined;
      if (inner && Array.isArray(inner.stack)) {
        for (const mount of paths(layer.rawPath ?? '/')) walk(inner as RouterLike, join(prefix, mount));
      }
    }
  };
  walk(root, '');
  const seen = new Set<string>();
  return out.filter((r) => {
    const key = `${r.method} ${r.path}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function paths(p: unknown): string[] {
  if (Array.isArray(p)) return p.flatMap(paths);
  if (p instanceof RegExp) return [`regexp:${p.source}`];
  return [String(p)];
}

function join(prefix: string, path: string): string {
  if (path.startsWith('regexp:')) return `${prefix}/${path}`;
  if (path === '/' || path === '') return prefix || '/';
  return `${prefix.replace(/\/$/, '')}${path.startsWith('/') ? '' : '/'}${path}`;
}

/**
 * A concrete URL path for `route`, each `:param` replaced by `value` (already
 * URL-encoded) and a RegExp route by a path under its mount point.
 */
export function concretePath(route: RegisteredRoute, value: string): string {
  const regexp = route.path.indexOf('/regexp:');
  if (regexp >= 0) return `${route.path.slice(0, regexp)}/${value}`;
  return route.path.replace(/:(\w+)/g, () => value).replace(/\*\w*/g, value);
}
