/**
 * Key service addresses, as SOPS spells them: `--keyservice tcp://host:port` or
 * `unix:///path/to.sock` on the client; `--network tcp|unix --address ADDR` on the server.
 */
import { isAbsolute, resolve } from "node:path";
import { UsageError } from "../errors.js";

export type Network = "tcp" | "unix";

export interface Endpoint {
  network: Network;
  /** `host:port` or the socket path. */
  address: string;
  /** The gRPC target / bind string. */
  target: string;
  /** `tcp://host:port` or `unix:///path`, for messages. */
  display: string;
}

const URI_HINT = "use tcp://HOST:PORT or unix:///PATH/TO.sock";

function endpoint(network: Network, address: string): Endpoint {
  if (network === "unix") return { network, address, target: `unix://${address}`, display: `unix://${address}` };
  return { network, address, target: address, display: `tcp://${address}` };
}

/** Parse a `--keyservice` URI. Throws UsageError. */
export function parseKeyServiceUri(uri: string): Endpoint {
  const m = /^([a-z0-9+.-]+):\/\/(.*)$/i.exec(uri.trim());
  if (!m) throw new UsageError(`invalid key service address ${JSON.stringify(uri)}`, { hint: URI_HINT });
  const scheme = m[1]!.toLowerCase();
  const rest = m[2]!;
  if (scheme === "unix") {
    if (!rest.startsWith("/")) throw new UsageError(`invalid key service address ${JSON.stringify(uri)}: the socket path must be absolute`, { hint: URI_HINT });
    return endpoint("unix", rest);
  }
  if (scheme !== "tcp") throw new UsageError(`unsupported key service network ${JSON.stringify(scheme)} in ${JSON.stringify(uri)}`, { hint: URI_HINT });
  const host = rest.replace(/\/.*$/, "");
  if (!/^(\[[0-9a-f:.]+\]|[^:/[\]]+):\d{1,5}$/i.test(host)) {
    throw new UsageError(`invalid key service address ${JSON.stringify(uri)}: expected HOST:PORT`, { hint: URI_HINT });
  }
  return endpoint("tcp", host);
}

/** The server's listen endpoint from `--network` and `--address` (relative socket paths resolve against cwd). */
export function listenEndpoint(network: string, address: string, cwd: string): Endpoint {
  if (network === "unix") return endpoint("unix", isAbsolute(address) ? address : resolve(cwd, address));
  if (network !== "tcp") throw new UsageError(`unsupported --network ${JSON.stringify(network)}`, { hint: "use --network tcp or --network unix" });
  // Go's `:5000` means every interface.
  const addr = address.startsWith(":") ? `0.0.0.0${address}` : address;
  if (!/^(\[[0-9a-f:.]+\]|[^:/[\]]+):\d{1,5}$/i.test(addr)) {
    throw new UsageError(`invalid --address ${JSON.stringify(address)} for tcp`, { hint: "use HOST:PORT, e.g. 127.0.0.1:5000 (port 0 picks a free one)" });
  }
  return endpoint("tcp", addr);
}

/** The same endpoint with the port the server actually bound (port 0 → real port). */
export function withPort(ep: Endpoint, port: number): Endpoint {
  if (ep.network !== "tcp") return ep;
  return endpoint("tcp", ep.address.replace(/:\d+$/, `:${port}`));
}
