/**
 * The interception benchmark's open-loop HTTP/1.1 client: keep-alive sockets written with request bytes
 * prepared before the step (signed ahead, so signing is not in the timed path), one call in flight per
 * socket, calls that find every socket busy queued in arrival order. It reads only what it needs of a
 * response (status, content-length, body length), so the load process spends a fraction of the CPU a
 * general client does — CPU the adapter shares on 2 cores. Only for the benchmark's own adapter: it expects
 * content-length framing (what fastify sends) and counts anything else as an error.
 */
import net from 'node:net';

const HEADER_END = Buffer.from('\r\n\r\n');
const CONTENT_LENGTH = /\r\ncontent-length:\s*(\d+)/i;

/** Called once per call with its status (0: the connection failed) when the whole response has arrived. */
export type Done = (status: number) => void;

interface Pending {
  bytes: Buffer;
  done: Done;
}

class Connection {
  private buffered: Buffer = Buffer.alloc(0);
  private current: Done | undefined;
  private closed = false;

  constructor(
    private readonly socket: net.Socket,
    private readonly idle: (c: Connection) => void,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.read(chunk));
    const fail = () => {
      this.closed = true;
      const done = this.current;
      this.current = undefined;
      done?.(0);
      this.idle(this);
    };
    socket.on('error', fail);
    socket.on('close', fail);
  }

  get usable(): boolean {
    return !this.closed;
  }

  send(p: Pending): void {
    this.current = p.done;
    this.socket.write(p.bytes);
  }

  private read(chunk: Buffer): void {
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
    const end = this.buffered.indexOf(HEADER_END);
    if (end < 0) return;
    const head = this.buffered.toString('latin1', 0, end);
    const length = CONTENT_LENGTH.exec(head);
    const status = Number(head.slice(9, 12));
    if (!length) {
      // Not a framing this client reads: count the call as failed and drop the connection.
      this.socket.destroy();
      return;
    }
    const total = end + 4 + Number(length[1]);
    if (this.buffered.length < total) return;
    this.buffered = this.buffered.length === total ? Buffer.alloc(0) : this.buffered.subarray(total);
    const done = this.current!;
    this.current = undefined;
    done(status);
    this.idle(this);
  }

  close(): void {
    this.closed = true;
    this.socket.destroy();
  }
}

export class RawHttpClient {
  private readonly free: Connection[] = [];
  private readonly queue: Pending[] = [];
  private head = 0;
  private all: Connection[] = [];

  private constructor() {}

  /** One keep-alive connection per address given (repeat an address for several). */
  static async connect(addresses: { host: string; port: number }[]): Promise<RawHttpClient> {
    const client = new RawHttpClient();
    client.all = await Promise.all(
      addresses.map(
        ({ host, port }) =>
          new Promise<Connection>((resolve, reject) => {
            const socket = net.connect({ host, port }, () =>
              resolve(new Connection(socket, (c) => client.release(c))),
            );
            socket.once('error', reject);
          }),
      ),
    );
    client.free.push(...client.all);
    return client;
  }

  /** Sends on an idle connection now, or after the calls queued before it. */
  send(bytes: Buffer, done: Done): void {
    const p = { bytes, done };
    const c = this.free.pop();
    if (c) c.send(p);
    else this.queue.push(p);
  }

  private release(c: Connection): void {
    if (!c.usable) {
      // With no connection left, what waits can never be sent: it fails now rather than hang the step.
      if (this.all.some((x) => x.usable)) return;
      const waiting = this.queue.slice(this.head);
      this.queue.length = 0;
      this.head = 0;
      for (const p of waiting) p.done(0);
      return;
    }
    if (this.head < this.queue.length) {
      const next = this.queue[this.head]!;
      this.queue[this.head] = undefined as unknown as Pending;
      this.head += 1;
      if (this.head === this.queue.length) {
        this.queue.length = 0;
        this.head = 0;
      }
      c.send(next);
    } else this.free.push(c);
  }

  close(): void {
    for (const c of this.all) c.close();
  }
}

/** The bytes of one HTTP/1.1 request with a body (or none), keep-alive. */
export function requestBytes(
  method: string,
  path: string,
  host: string,
  headers: Record<string, string>,
  body = '',
): Buffer {
  let text = `${method} ${path} HTTP/1.1\r\nhost: ${host}\r\n`;
  for (const [name, value] of Object.entries(headers)) text += `${name}: ${value}\r\n`;
  if (body.length > 0 || method !== 'GET') text += `content-length: ${Buffer.byteLength(body)}\r\n`;
  return Buffer.from(`${text}\r\n${body}`);
}
