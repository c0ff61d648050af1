import type { Server, ServerResponse } from 'node:http';
import { Server as NetServer, Socket } from 'node:net';
import type { INestApplication, LoggerService } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import type { NextFunction, Request, Response } from 'express';
import { localeFromAcceptLanguage, translate } from '../i18n/i18n';

/** How long requests in progress may take to finish once a stop is asked for; then they are cut. */
export const DRAIN_MS = 10_000;
/** What a client refused while the process stops is told to wait before trying again. */
const RETRY_AFTER_SECONDS = 5;
const POLL_MS = 20;
/**
 * The listener closes once no connection has arrived for this long: clients whose last answer said
 * Connection: close connect again at once, and a connection the kernel has queued when the listener
 * closes is reset unanswered. Each is accepted and told 503 instead, until the clients have stopped.
 * 500 ms was too short in CI, where a client's own event loop lagged that much under load.
 */
const QUIET_MS = 2_000;

interface ConnectionState {
  busy: number;
  idleSince: number;
}

export interface ShutdownOptions {
  drainMs?: number;
  /** A Nest logger whose context names the stop. */
  logger: LoggerService;
}

/**
 * Stopping without losing a request (SIGTERM from the service manager or a deploy, SIGINT from a
 * terminal). Nest's own shutdown hooks close the database while the HTTP server may still be
 * serving, and re-raise the signal (exit code 143); this runs the steps in order instead:
 *   1. refuse new requests: each is answered 503 with Connection: close, and every answer from
 *      then on closes its connection;
 *   2. let the requests in progress finish, still accepting connections meanwhile (a connection the
 *      kernel has queued when the listener closes is reset unanswered, and under load a few always
 *      are: each client is told 503 instead);
 *   3. close the listener at the start of a loop turn, right after the queued connections were
 *      accepted, then wait for the connections left to close, for up to DRAIN_MS in all, then cut;
 *   4. stop the scheduled jobs and wait for a run in progress;
 *   5. app.close(): the workers' and modules' shutdown hooks (mail outbox, digest, sessions,
 *      retention...) run, and the database closes last;
 *   6. resolve with the exit code (0, or 1 when a step failed).
 */
export class GracefulShutdown {
  private stopping: Promise<number> | null = null;
  private readonly inFlight = new Set<ServerResponse>();
  private readonly connections = new Map<Socket, ConnectionState>();
  private refused = 0;
  private lastConnectionAt = 0;
  private readonly drainMs: number;

  constructor(
    private readonly app: INestApplication,
    private readonly options: ShutdownOptions,
  ) {
    this.drainMs = options.drainMs ?? DRAIN_MS;
    const server = app.getHttpServer() as Server;
    server.on('connection', (socket: Socket) => {
      this.lastConnectionAt = Date.now();
      this.connections.set(socket, { busy: 0, idleSince: Date.now() });
      socket.once('close', () => this.connections.delete(socket));
    });
  }

  /** Mounted before everything else: counts the requests in progress, refuses new ones while stopping. */
  readonly middleware = (req: Request, res: Response, next: NextFunction): void => {
    const connection = this.connections.get(req.socket);
    if (connection) connection.busy += 1;
    // 'close' comes after the answer is sent, and also when the client gave up first.
    res.once('close', () => {
      this.inFlight.delete(res);
      if (connection) {
        connection.busy -= 1;
        connection.idleSince = Date.now();
      }
    });
    if (this.stopping) {
      this.refuse(req, res);
      return;
    }
    this.inFlight.add(res);
    next();
  };

  /** Starts the stop on the first signal; a second one while stopping changes nothing. */
  shutdown(signal: string): Promise<number> {
    if (!this.stopping) {
      this.options.logger.log(`${signal} received: finishing ${this.inFlight.size} request(s) in progress, then stopping`);
      this.stopping = this.run();
    }
    return this.stopping;
  }

  private async run(): Promise<number> {
    const started = Date.now();
    const server = this.app.getHttpServer() as Server;
    for (const res of this.inFlight) if (!res.headersSent) res.setHeader('Connection', 'close');

    // The listener stays open while the requests in progress finish and clients are still
    // connecting: closing it resets every connection the kernel has queued and Node has not accepted
    // yet (under load, a busy loop leaves several), and their requests would go unanswered.
    // Accepted, they are answered 503.
    await this.waitFor(() => this.inFlight.size === 0 && Date.now() - this.lastConnectionAt >= QUIET_MS, this.drainMs);
    // setImmediate runs right after the poll phase, which accepted every connection queued by then.
    await new Promise((resolve) => setImmediate(resolve));
    // net.Server's close, not http.Server's: the latter also destroys idle kept-alive connections at
    // once, and a request a client is sending on one at that moment would be reset unanswered.
    NetServer.prototype.close.call(server);

    const drained = await this.waitFor(() => this.closeIdleConnections() === 0, Math.max(0, this.drainMs - (Date.now() - started)));
    if (!drained) {
      this.options.logger.warn(`${this.inFlight.size} request(s) still in progress after ${this.drainMs / 1000} s were cut`);
      server.closeAllConnections();
      for (const socket of this.connections.keys()) socket.destroy();
    }

    try {
      await this.stopScheduledJobs(Math.max(1000, this.drainMs - (Date.now() - started)));
      await this.app.close();
    } catch (error) {
      this.options.logger.error(`Stopping failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      return 1;
    }
    this.options.logger.log(`Stopped in ${Date.now() - started} ms; ${this.refused} request(s) arriving meanwhile were answered 503`);
    return 0;
  }

  /**
   * Every @nestjs/schedule job stops firing, and a cron run in progress is waited for, so none is
   * left writing when the database closes. (Nest's own hook clears the jobs without waiting.)
   * Workers with timers of their own (mail outbox, digest) wait for their pass in their shutdown hook.
   */
  private async stopScheduledJobs(waitMs: number): Promise<void> {
    let registry: SchedulerRegistry;
    try {
      registry = this.app.get(SchedulerRegistry, { strict: false });
    } catch {
      return;
    }
    for (const name of registry.getIntervals()) registry.deleteInterval(name);
    for (const name of registry.getTimeouts()) registry.deleteTimeout(name);
    const jobs = [...registry.getCronJobs().values()];
    // stop() ends the schedule; a run in progress is waited for below (isCallbackRunning).
    for (const job of jobs) void job.stop();
    if (!(await this.waitFor(() => jobs.every((job) => !job.isCallbackRunning), waitMs))) {
      this.options.logger.warn('A scheduled job was still running when the database closed');
    }
  }

  /** Closes the connections idle for the keep-alive timeout; returns how many are left open. */
  private closeIdleConnections(): number {
    const now = Date.now();
    // A kept-alive connection idle as long as the server's keep-alive timeout is closed, as Node would
    // close it anyway: clients were told that timeout (Keep-Alive: timeout=5) and do not reuse a
    // connection that near it. Closing one sooner races a request the client is sending on it, which
    // would get a reset instead of an answer; one sent meanwhile is answered 503, Connection: close.
    const idleLimit = (this.app.getHttpServer() as Server).keepAliveTimeout || 5_000;
    for (const [socket, state] of this.connections) {
      if (state.busy === 0 && now - state.idleSince >= idleLimit) socket.destroy();
    }
    return this.connections.size;
  }

  private refuse(req: Request, res: Response): void {
    this.refused += 1;
    const message = translate(localeFromAcceptLanguage(req.headers['accept-language']), 'shutdown.restarting');
    res.statusCode = 503;
    res.setHeader('Connection', 'close');
    res.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    // The body is read and dropped: unread bytes at the close would make the answer a TCP reset.
    req.resume();
    if (req.path.startsWith('/api/') || req.path === '/api') {
      res.setHeader('Content-Type', 'application/json; charset=utf-8');
      res.end(JSON.stringify({ statusCode: 503, error: 'Service Unavailable', message }));
    } else {
      res.setHeader('Content-Type', 'text/plain; charset=utf-8');
      res.end(message);
    }
  }

  private async waitFor(condition: () => boolean, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (Date.now() >= deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    return true;
  }
}
