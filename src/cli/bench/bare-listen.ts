import type { Server } from 'node:http';

/**
 * How the benchmark's bare servers (baseline-server.ts, baseline-today.ts) run as child processes:
 * on a free loopback port, printed as `listening PORT` for startBaseline to read; SIGTERM stops them.
 */
export function listenForBench(server: Server): void {
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    console.log(`listening ${typeof address === 'object' && address ? address.port : ''}`);
  });
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
}
