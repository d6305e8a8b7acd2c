import { createServer, connect, type Server, type Socket } from 'node:net';

/**
 * A loopback TCP proxy that treats idle connections the way Azure's load balancer treats
 * Event Hubs connections: after `idleMs` without a byte in either direction the connection goes
 * dead silently. Nothing is closed; whatever the client sends afterwards is swallowed and no
 * answer ever comes, so the client only notices through its own timeouts.
 */
export class IdleDroppingProxy {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  /** Connections currently open from the client side. */
  open = 0;
  /** Connections that went dead while the client kept them open. */
  dropped = 0;
  /** Once false, no connection goes dead any more; those dead already stay dead. */
  private dropping = true;

  constructor(
    private readonly listenPort: number,
    private readonly targetPort: number,
    private readonly idleMs: number,
  ) {}

  start(): Promise<void> {
    const server = createServer((client) => this.accept(client));
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.listenPort, '127.0.0.1', () => resolve());
    });
  }

  /**
   * Lets every connection live from now on, however idle: a test that has seen what dead
   * connections do can then check a recovery that a slow machine's pauses cannot spoil.
   */
  stopDropping(): void {
    this.dropping = false;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) {
      socket.destroy();
    }
    await new Promise<void>((resolve) => {
      if (this.server === undefined) {
        resolve();
        return;
      }
      this.server.close(() => resolve());
    });
  }

  private accept(client: Socket): void {
    const upstream = connect({ host: '127.0.0.1', port: this.targetPort });
    this.sockets.add(client);
    this.sockets.add(upstream);
    this.open += 1;
    let dead = false;
    const goDead = (): void => {
      if (this.dropping) {
        dead = true;
        this.dropped += 1;
      }
    };
    let timer = setTimeout(goDead, this.idleMs);
    const active = (): void => {
      clearTimeout(timer);
      timer = setTimeout(goDead, this.idleMs);
    };

    client.on('data', (chunk) => {
      if (!dead) {
        active();
        upstream.write(chunk);
      }
    });
    upstream.on('data', (chunk) => {
      if (!dead) {
        active();
        client.write(chunk);
      }
    });
    const end = (): void => {
      clearTimeout(timer);
      if (this.sockets.delete(client)) {
        this.open -= 1;
      }
      this.sockets.delete(upstream);
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end);
    client.on('error', end);
    upstream.on('close', () => {
      // A dead connection stays open towards the client, as on Azure.
      if (!dead) {
        end();
      }
    });
    upstream.on('error', () => undefined);
  }
}
