import type { TestApp } from './test-app';

export interface AppRoute {
  method: string;
  path: string;
}

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
}

/** Every route the app serves, read from Express's router, so a new route is covered without editing tests. */
export function appRoutes(t: TestApp): AppRoute[] {
  const express = t.app.getHttpAdapter().getInstance() as { router: { stack: Layer[] } };
  return express.router.stack
    .filter((layer): layer is Required<Layer> => layer.route !== undefined)
    .flatMap((layer) =>
      Object.keys(layer.route.methods)
        .filter((method) => method !== '_all')
        .map((method) => ({ method: method.toUpperCase(), path: layer.route.path })),
    );
}

/** A concrete URL for a route pattern, with a made-up id for each parameter. */
export function concretePath(path: string): string {
  return path.replace(/:[A-Za-z]+/g, '00000000-0000-4000-8000-000000000000');
}
