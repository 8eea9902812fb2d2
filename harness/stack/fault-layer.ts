import { connect, createServer, type Server, type Socket } from 'node:net';

/** What the fault layer does to a connection from the edge to one origin. */
export type LayerBehaviour =
  | { kind: 'pass' }
  /** Not listening: the edge's connect() gets ECONNREFUSED, as from a process that is not up. */
  | { kind: 'refuse' }
  /** Each new connection waits `ms` before it reaches the origin. */
  | { kind: 'latency'; ms: number }
  /** A connection is reset (TCP RST) once the origin's answer has started, when `hit()` says so. */
  | { kind: 'reset'; hit: () => boolean };

/**
 * A TCP relay between the edge and one origin, on its own loopback port: where origin faults act
 * on real connections (refused, delayed, reset) without touching nginx or Next. The edge routes
 * to the relay; `retarget` points it at a restarted origin without an edge reload.
 */
export class FaultLayer {
  private behaviour: LayerBehaviour = { kind: 'pass' };
  private readonly sockets = new Set<Socket>();
  /** Called when a request has been passed on to the origin (its first bytes went upstream). */
  onRequest: (() => void) | undefined;
  counts = { connections: 0, refused: 0, delayed: 0, reset: 0 };

  private constructor(
    private server: Server,
    readonly port: number,
    private target: number,
  ) {}

  static async start(target: number): Promise<FaultLayer> {
    let layer: FaultLayer | undefined;
    const server = createServer((s) => layer!.relay(s));
    // Port 0: the kernel picks a free one atomically.
    const port = await listen(server, 0);
    layer = new FaultLayer(server, port, target);
    return layer;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  retarget(port: number): void {
    this.target = port;
  }

  /** Changes what happens to new connections; `refuse` stops listening, anything else listens again. */
  async set(b: LayerBehaviour): Promise<void> {
    const wasRefusing = this.behaviour.kind === 'refuse';
    this.behaviour = b;
    if (b.kind === 'refuse' && !wasRefusing) await new Promise<void>((r) => this.server.close(() => r()));
    if (b.kind !== 'refuse' && wasRefusing) {
      const server = createServer((s) => this.relay(s));
      await listen(server, this.port);
      this.server = server;
    }
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    if (this.behaviour.kind !== 'refuse') await new Promise<void>((r) => this.server.close(() => r()));
  }

  private relay(client: Socket): void {
    this.counts.connections++;
    const b = this.behaviour;
    this.sockets.add(client);
    client.once('close', () => this.sockets.delete(client));
    client.on('error', () => {});
    const go = () => {
      if (client.destroyed) return;
      const upstream = connect(this.target, '127.0.0.1');
      this.sockets.add(upstream);
      upstream.once('close', () => {
        this.sockets.delete(upstream);
        client.destroy();
      });
      upstream.on('error', () => client.destroy());
      client.once('close', () => upstream.destroy());
      client.once('data', () => queueMicrotask(() => this.onRequest?.()));
      let answered = false;
      upstream.on('data', (chunk: Buffer) => {
        if (!answered && b.kind === 'reset' && b.hit()) {
          this.counts.reset++;
          // Part of the answer gets through, then the connection dies, as when a process crashes mid-response.
          client.write(chunk.subarray(0, Math.ceil(chunk.length / 2)), () => client.resetAndDestroy());
          upstream.destroy();
          answered = true;
          return;
        }
        answered = true;
        client.write(chunk);
      });
      upstream.on('end', () => client.end());
      client.on('data', (chunk: Buffer) => upstream.write(chunk));
      client.on('end', () => upstream.end());
    };
    if (b.kind === 'latency') {
      this.counts.delayed++;
      client.pause();
      setTimeout(() => {
        go();
        client.resume();
      }, b.ms).unref();
    } else {
      go();
    }
  }
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      const addr = server.address();
      resolve(typeof addr === 'object' && addr ? addr.port : port);
    });
  });
}
