import { createServer, request, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { answerRefusedRequests } from './client-error';

function get(port: number, path: string, headers: Record<string, string> = {}): Promise<number | string> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    req.end();
  });
}

describe('answerRefusedRequests', () => {
  let server: Server;
  let port: number;
  beforeAll(async () => {
    server = createServer((_req, res) => res.end('ok'));
    answerRefusedRequests(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('should answer 431, not a reset, to an address far over the header limit, on every Node version', async () => {
    for (const length of [20_000, 70_000, 2_000_000]) expect(await get(port, `/x?q=${'a'.repeat(length)}`)).toBe(431);
  });

  it('should answer 431 to headers over the limit and 400 to a malformed request, and go on serving', async () => {
    expect(await get(port, '/', { 'x-big': 'b'.repeat(40_000) })).toBe(431);
    const raw = await new Promise<string>((resolve) => {
      let text = '';
      const socket = connect(port, '127.0.0.1', () => socket.write('NOT A REQUEST\r\n\r\n'));
      socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
      socket.on('close', () => resolve(text));
    });
    expect(raw).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(await get(port, '/')).toBe(200);
  });
});
