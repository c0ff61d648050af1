import { PATH_METADATA, METHOD_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RequestMethod } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { ROLES, Role } from '../../src/auth/auth.enums';
import { IS_PUBLIC } from '../../src/common/decorators/public.decorator';
import { ROLES_KEY } from '../../src/common/decorators/roles.decorator';
import { appRoutes, AppRoute } from './routes';
import type { TestApp } from './test-app';

/** Nest's RouteParamtypes for @Body() and @Query(). */
const BODY = 3;
const QUERY = 4;

type Dto = new (...args: never[]) => object;

export interface RouteHandler extends AppRoute {
  /** Who may call it: nobody needs to sign in for a public route. */
  public: boolean;
  roles: readonly Role[];
  /** The classes its @Body() and @Query() are validated against, when it declares them. */
  body?: Dto;
  query?: Dto;
  /** The names of its path parameters, in order. */
  params: string[];
}

/**
 * Every route of appRoutes() with what its controller method declares: roles, and the DTO classes its
 * body and query are checked against. Read from Nest's metadata, so a new route needs no test edit.
 */
export function routeHandlers(t: TestApp): RouteHandler[] {
  const declared = new Map<string, Omit<RouteHandler, keyof AppRoute | 'params'>>();
  for (const module of t.app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as (new (...args: never[]) => object) | null;
      if (!controller) continue;
      const base = asList(Reflect.getMetadata(PATH_METADATA, controller));
      for (const name of Object.getOwnPropertyNames(controller.prototype)) {
        const handler = (controller.prototype as Record<string, unknown>)[name];
        if (name === 'constructor' || typeof handler !== 'function') continue;
        const paths = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
        if (paths === undefined) continue;
        const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number];
        const isPublic = Boolean(Reflect.getMetadata(IS_PUBLIC, handler) ?? Reflect.getMetadata(IS_PUBLIC, controller));
        const roles = (Reflect.getMetadata(ROLES_KEY, handler) ?? Reflect.getMetadata(ROLES_KEY, controller) ?? ROLES) as readonly Role[];
        const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, name) ?? {}) as Record<string, { index: number }>;
        const types = (Reflect.getMetadata('design:paramtypes', controller.prototype, name) ?? []) as Dto[];
        const argType = (kind: number) => {
          const key = Object.keys(args).find((k) => k.split(':')[0] === String(kind));
          const type = key === undefined ? undefined : types[args[key].index];
          return type && type !== Object && type !== String ? type : undefined;
        };
        for (const prefix of base) {
          for (const path of asList(paths)) {
            declared.set(`${method} ${joinPath(prefix, path)}`, { public: isPublic, roles: isPublic ? ROLES : roles, body: argType(BODY), query: argType(QUERY) });
          }
        }
      }
    }
  }
  return appRoutes(t).map((route) => {
    const found = declared.get(`${route.method} ${route.path}`);
    if (!found) throw new Error(`No controller method found for ${route.method} ${route.path}`);
    return { ...route, ...found, params: [...route.path.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1]) };
  });
}

function asList(value: string | string[] | undefined): string[] {
  return value === undefined ? [''] : Array.isArray(value) ? value : [value];
}

function joinPath(...parts: string[]): string {
  const joined = parts.map((p) => p.replace(/^\/+|\/+$/g, '')).filter((p) => p !== '').join('/');
  return `/${joined}`;
}
