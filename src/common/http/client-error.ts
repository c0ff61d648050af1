import { STATUS_CODES, type Server } from 'node:http';
import type { Socket } from 'node:net';

/** How long a refused client has to stop sending before its connection is cut. */
const DISCARD_MS = 5_000;

/**
 * Answers a request Node's HTTP parser refuses before the app sees it (a request line or headers
 * over the 16 KB limit: 431; a malformed request: 400; headers too slow: 408), then closes the
 * connection once the client has stopped sending.
 *
 * Node's own answer writes the status and destroys the socket at once. Since Node 22, a client
 * still sending (a 70 KB address, say) then gets a connection reset instead of the 431 it was sent,
 * because closing a socket with unread bytes makes the kernel reset it. Here the rest of the request
 * is read and dropped, for up to DISCARD_MS, and the connection ends normally.
 */
export function answerRefusedRequests(server: Server): void {
  const answered = new WeakSet<Socket>();
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    // The parser reports every later chunk of a refused request again: one answer is enough.
    if (answered.has(socket)) return;
    answered.add(socket);
    if (error.code === 'ECONNRESET' || !socket.writable || socket.bytesWritten > 0) {
      socket.destroy();
      return;
    }
    const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' || error.code === 'HPE_HEADERS_TIMEOUT' ? 408 : 400;
    socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    socket.resume();
    setTimeout(() => socket.destroy(), DISCARD_MS).unref();
  });
}
