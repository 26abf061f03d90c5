/**
 * Lazy loading of gRPC: `@grpc/grpc-js` and `@grpc/proto-loader` are imported only
 * when a key service is served or used, never at CLI startup.
 */
import type * as Grpc from "@grpc/grpc-js";
import { KEYSERVICE_PROTO_JSON, PROTO_LOADER_OPTIONS } from "./keyservice-proto.js";

export interface LoadedKeyService {
  grpc: typeof Grpc;
  /** Generated client constructor; `.service` is the service definition for servers. */
  KeyService: Grpc.ServiceClientConstructor;
}

let loaded: Promise<LoadedKeyService> | undefined;

/** Load gRPC and the KeyService definition once per process. */
export function loadKeyService(): Promise<LoadedKeyService> {
  loaded ??= (async () => {
    const [grpc, loader] = await Promise.all([import("@grpc/grpc-js"), import("@grpc/proto-loader")]);
    // proto-loader's typings want a protobufjs INamespace; our literal is exactly that shape.
    const definition = loader.fromJSON(KEYSERVICE_PROTO_JSON as unknown as Parameters<typeof loader.fromJSON>[0], { ...PROTO_LOADER_OPTIONS });
    const pkg = grpc.loadPackageDefinition(definition);
    return { grpc, KeyService: pkg["KeyService"] as Grpc.ServiceClientConstructor };
  })();
  return loaded;
}
