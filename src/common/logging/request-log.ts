import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Inject, Injectable, Optional } from '@nestjs/common';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import pino, { DestinationStream, Level, Logger } from 'pino';
import type PinoPretty from 'pino-pretty';
import { lazyModule } from '../lazy-module';
import { AppConfig, LogLevel } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';

/**
 * Where the request log writes instead of stdout. Tests provide one to read the lines; without one
 * the log is off under NODE_ENV=test, so test output stays quiet.
 */
export const REQUEST_LOG_DESTINATION = Symbol('REQUEST_LOG_DESTINATION');

export const REQUEST_ID_HEADER = 'X-Request-Id';

/**
 * An incoming request id is kept only when it is short and plain (a proxy's or a client's UUID,
 * trace id...): anything else, such as a line break that would forge a log line, gets a new one.
 */
const WELL_FORMED_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** What stands in for the route of a request no controller matched (static misses, 404s). */
export const NO_ROUTE = '(no route)';

/** Requests logged at debug, below the default level: a load balancer's probe every few seconds. */
const QUIET_PATHS = ['/health'];
/** Requests not logged at all: static files, which are public and many per page. */
const UNLOGGED_PREFIXES = ['/static/'];
/** Paths answered by Express middleware before the router (src/offline/ward-app.ts), logged as themselves. */
const FIXED_PATHS = ['/sw.js', '/offline'];

const PINO_LEVELS: Record<LogLevel, Level> = { fatal: 'fatal', error: 'error', warn: 'warn', info: 'info', debug: 'debug', verbose: 'trace' };

/**
 * One line per request (ASVS V16): its id, method, route pattern, status, time and user id. The
 * route is the pattern the router matched (/residents/:id), never the URL, whose path can hold a
 * password-reset token and whose query anything at all; no header, cookie or body is ever read into
 * the line, so nothing secret can be logged by accident as the app grows.
 */
@Injectable()
export class RequestLog {
  /** Null when the log is off (tests that did not ask for it). */
  readonly logger: Logger | null;
  readonly middleware: RequestHandler;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @Optional() @Inject(REQUEST_LOG_DESTINATION) destination: DestinationStream | null = null,
  ) {
    this.logger = createLogger(config, destination);
    this.middleware = this.logger ? requestLogMiddleware(this.logger) : (_req, _res, next) => next();
  }
}

/** pino-pretty loads only for development's readable log (LOG_FORMAT=pretty). */
const pinoPretty = lazyModule(() => require('pino-pretty') as typeof PinoPretty);

function createLogger(config: AppConfig, destination: DestinationStream | null): Logger | null {
  if (config.nodeEnv === 'test' && !destination) return null;
  // A test that reads the log wants the request lines, whatever level quiets the rest of the tests.
  const level = destination && config.nodeEnv === 'test' ? 'debug' : PINO_LEVELS[config.logLevel];
  const options = { level, base: { pid: process.pid } };
  if (destination) return pino(options, destination);
  if (config.logFormat === 'pretty') {
    return pino(options, pinoPretty()({ colorize: Boolean(process.stdout.isTTY), sync: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid', singleLine: true }));
  }
  return pino(options, pino.destination({ dest: 1, sync: true }));
}

/**
 * The line is written when the response is done, when the route and the user are known, from the
 * fields below only: nothing of the raw request (URL, headers, body) is ever handed to the logger.
 * Written here rather than with pino-http, which built three child loggers for every request (one
 * serialising the request) whether or not its line was logged at the level set: a sixth of a page's time.
 */
function requestLogMiddleware(logger: Logger): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const requestId = requestIdOf(req, res);
    const started = Date.now();
    let done = false;
    const onDone = (error?: Error) => {
      if (done) return;
      done = true;
      res.removeListener('close', onDone);
      res.removeListener('finish', onDone);
      res.removeListener('error', onDone);
      const level = levelFor(req, res, error);
      if (!logger.isLevelEnabled(level)) return;
      const route = routePattern(req);
      logger[level](
        { requestId, method: req.method, route, userId: req.user?.id ?? null, status: res.statusCode, responseTime: Date.now() - started },
        `${req.method} ${route} ${res.statusCode}`,
      );
    };
    // Static files are public and many per page: logged only if the response fails.
    if (!UNLOGGED_PREFIXES.some((prefix) => req.path.startsWith(prefix))) {
      res.on('close', onDone);
      res.on('finish', onDone);
    }
    res.on('error', onDone);
    next();
  };
}

/** The incoming id when well formed, else a new UUID; echoed on the response either way. */
function requestIdOf(req: IncomingMessage, res: ServerResponse): string {
  const incoming = req.headers['x-request-id'];
  const id = typeof incoming === 'string' && WELL_FORMED_REQUEST_ID.test(incoming) ? incoming : randomUUID();
  res.setHeader(REQUEST_ID_HEADER, id);
  return id;
}

/**
 * The route the router matched, as declared: Express leaves `req.route` on the request after the
 * handler ran, and Nest mounts every route on the app itself, so its path is the whole pattern. A
 * request no route matched is logged as NO_ROUTE rather than by its URL.
 */
export function routePattern(req: Pick<Request, 'route'> & Partial<Pick<Request, 'path'>>): string {
  const route = (req.route as { path?: unknown } | undefined)?.path;
  if (typeof route === 'string') return route;
  // The ward app's worker and offline page are answered before the router, at fixed paths with nothing secret in them.
  return req.path !== undefined && FIXED_PATHS.includes(req.path) ? req.path : NO_ROUTE;
}

function levelFor(req: Request, res: ServerResponse, error: Error | undefined): Level {
  if (error || (res.statusCode >= 500 && res.statusCode !== 503)) return 'error';
  // 503: the app is stopping or its database is not answering; a state, not a fault of this request.
  if (res.statusCode >= 400) return 'warn';
  return QUIET_PATHS.includes(req.path) ? 'debug' : 'info';
}
