import { createServer as createHttpServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { createServer as createNetServer } from "node:net";

/**
 * The common half of the protocol-level fakes (AWS KMS, GCP KMS, Azure Key Vault,
 * Vault transit): a real HTTP(S) server on 127.0.0.1:0 that records every request and
 * injects failures in order. Each service renders injected failures in its own wire
 * shape; "slow" and "reset" are handled here.
 */

/** Failures a test can queue; each is used by one request. */
export type Failure = "unauthorized" | "forbidden" | "not-found" | "disabled" | "server-error" | "throttle" | "slow" | "reset";

export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/**
 * A service handler: answer `req` (body already read). `takeFailure()` dequeues the next
 * injected status failure, if any; a handler calls it once it knows the request is one
 * the failure should hit (e.g. after the auth challenge).
 */
export type FakeHandler = (req: RecordedRequest, res: ServerResponse, takeFailure: () => Failure | undefined) => void | Promise<void>;

export interface FakeServer {
  /** `http://127.0.0.1:PORT` (or https). */
  readonly url: string;
  readonly port: number;
  readonly requests: RecordedRequest[];
  /** Queue `failure` for the next `times` requests (after any already queued). */
  inject(failure: Failure, times?: number): void;
  /** How long a "slow" request stalls (default 3 s). */
  slowMs: number;
  close(): Promise<void>;
}

export interface FakeServerOptions {
  /** PEM key and certificate: serve HTTPS. */
  readonly tls?: { key: string; cert: string };
}

/** Start a fake on 127.0.0.1 with an OS-chosen port. */
export async function startFakeServer(handler: FakeHandler, options: FakeServerOptions = {}): Promise<FakeServer> {
  const queue: Failure[] = [];
  const requests: RecordedRequest[] = [];
  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const rec: RecordedRequest = {
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      };
      requests.push(rec);
      const failure = queue[0] === "slow" || queue[0] === "reset" ? queue.shift() : undefined;
      if (failure === "reset") {
        req.socket.destroy();
        return;
      }
      const run = async (): Promise<void> => {
        try {
          await handler(rec, res, () => queue.shift());
        } catch (err) {
          if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
          res.end(String(err));
        }
      };
      if (failure === "slow") setTimeout(() => void run(), fake.slowMs).unref();
      else void run();
    });
  };
  const server: Server = options.tls ? createHttpsServer(options.tls, onRequest) : createHttpServer(onRequest);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  const fake: FakeServer = {
    url: `${options.tls ? "https" : "http"}://127.0.0.1:${port}`,
    port,
    requests,
    slowMs: 3_000,
    inject(failure, times = 1) {
      for (let i = 0; i < times; i++) queue.push(failure);
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
  return fake;
}

/** A loopback port nothing listens on (connections are refused). */
export async function closedPort(): Promise<number> {
  const s = createNetServer();
  await new Promise<void>((resolve) => s.listen(0, "127.0.0.1", resolve));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

/** Write a JSON response. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), ...headers });
  res.end(text);
}
