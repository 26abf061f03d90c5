import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { parseConfigYaml } from "../../src/config/config-yaml.js";
import { readConfigSpec } from "../../src/config/schema.js";
import { fromWireKey } from "../../src/keyservice/wire.js";
import { descriptorFor } from "../../src/keys/registry.js";
import type { KeySourceClient, MasterKey } from "../../src/keys/types.js";
import { readMetadata } from "../../src/metadata/read.js";
import { createKeyContext } from "../../src/operations/key-context.js";
import type { MapNode, Node } from "../../src/tree/types.js";
import { INTEROP_FIXTURES } from "../helpers/paths.js";
import { MARKER, expectSobre, fcParams, mutated } from "./support/fuzz.js";
import { AGE_RECIPIENT, ageContext, encryptText } from "./support/samples.js";

/**
 * The `sops` metadata block, the wrapped keys inside it (age armor, PGP messages),
 * `.sops.yaml` and key-service key messages: all attacker-controlled text.
 */

const FIELD_NAMES = [
  "age", "pgp", "kms", "gcp_kms", "azure_kv", "hc_vault", "key_groups", "enc", "recipient", "fp", "arn", "lastmodified", "mac", "version",
  "shamir_threshold", "mac_only_encrypted", "unencrypted_suffix", "encrypted_regex", "unencrypted_regex", "encrypted_comment_regex",
  "created_at", "resource_id", "vault_address", "engine_path", "key_name", "vaultUrl", "name", "__proto__", "constructor", "toString", "",
];

const leafArb: fc.Arbitrary<Node> = fc.oneof(
  fc.string({ maxLength: 12 }).map((value) => ({ kind: "leaf", value: { type: "str", value } }) as Node),
  fc.constantFrom("(", "[", "*", "a{99999999}", "(a+)+$", "\\", "-1", "1e309", "NaN", MARKER).map((value) => ({ kind: "leaf", value: { type: "str", value } }) as Node),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map((value) => ({ kind: "leaf", value: { type: "int", value } }) as Node),
  fc.double().map((value) => ({ kind: "leaf", value: { type: "float", value } }) as Node),
  fc.boolean().map((value) => ({ kind: "leaf", value: { type: "bool", value } }) as Node),
  fc.constant({ kind: "leaf", value: { type: "null" } } as Node),
);

const { node: nodeArb } = fc.letrec<{ node: Node; map: MapNode }>((tie) => ({
  node: fc.oneof({ depthSize: "small", withCrossShrink: true }, leafArb, tie("map"), fc.array(tie("node"), { maxLength: 3 }).map((items) => ({ kind: "seq", items }) as Node)),
  map: fc
    .array(fc.tuple(fc.oneof(fc.constantFrom(...FIELD_NAMES), fc.string({ maxLength: 5 })), tie("node")), { maxLength: 5 })
    .map((entries) => ({ kind: "map", items: entries.map(([key, value]) => ({ kind: "entry", key, value })) }) as MapNode),
}));

describe("sops metadata block", () => {
  it("random metadata trees: read or a SobreError", async () => {
    await fc.assert(
      fc.asyncProperty(nodeArb, async (node) => {
        fc.pre(node.kind === "map");
        await expectSobre(() => readMetadata(node as MapNode, "fuzz.yaml"), node);
      }),
      fcParams(1500),
    );
  });

  it("a __proto__ key in the metadata does not change what is read", () => {
    const age = { kind: "seq", items: [{ kind: "map", items: [{ kind: "entry", key: "recipient", value: { kind: "leaf", value: { type: "str", value: AGE_RECIPIENT } } }, { kind: "entry", key: "enc", value: { kind: "leaf", value: { type: "str", value: "x" } } }] }] } as Node;
    const node: MapNode = { kind: "map", items: [{ kind: "entry", key: "__proto__", value: { kind: "map", items: [{ kind: "entry", key: "age", value: age }] } }] };
    const meta = readMetadata(node, "fuzz.yaml");
    expect(meta.keyGroups.flat()).toHaveLength(0);
    expect(({} as Record<string, unknown>)["age"]).toBeUndefined();
  });
});

describe("wrapped data keys", () => {
  let age: KeySourceClient;
  let ageKey: MasterKey;
  let ageEnc: string;
  beforeAll(async () => {
    age = await descriptorFor("age")!.load();
    ageKey = descriptorFor("age")!.parseRefs(AGE_RECIPIENT)[0]!;
    const file = JSON.parse(Buffer.from(await encryptText("json", "{}")).toString("utf8"));
    ageEnc = file.sops.age[0].enc;
  });

  it("age: random and mutated `enc` armor → data key, null, or a SobreError", async () => {
    const ctx = ageContext();
    const armorArb = fc.oneof(
      fc.string({ maxLength: 300 }),
      mutated(new Uint8Array(Buffer.from(ageEnc))).map((b) => Buffer.from(b).toString("latin1")),
      fc.string({ maxLength: 200 }).map((s) => `-----BEGIN AGE ENCRYPTED FILE-----\n${s}\n-----END AGE ENCRYPTED FILE-----\n`),
      fc.string({ maxLength: 200 }).map((s) => `age-encryption.org/v1\n-> X25519 ${s}\n---`),
    );
    await fc.assert(
      fc.asyncProperty(armorArb, async (enc) => {
        const r = await expectSobre(() => age.unwrap(ageKey, enc, ctx), enc);
        if (r.ok && r.value) expect(r.value.length).toBe(32);
      }),
      fcParams(500),
    );
  });

  const pgpFile = join(INTEROP_FIXTURES, "getsops-sops/example.json");
  const pgpKeyFile = join(INTEROP_FIXTURES, "getsops-sops/keys/sops_functional_tests_key.asc");
  it("pgp (built-in backend): random and mutated PGP messages → data key, null, or a SobreError", async () => {
    const pgpDesc = descriptorFor("pgp")!;
    const pgp = await pgpDesc.load();
    const record = JSON.parse(readFileSync(pgpFile, "utf8")).sops.pgp[0];
    const key = pgpDesc.fromRecord(record);
    const ctx = createKeyContext({ env: { HOME: "/nonexistent-sobre-home", SOBRE_PGP_BACKEND: "builtin", SOBRE_PGP_SECRET_KEYS: pgpKeyFile }, cwd: "/" });
    // The unmodified message decrypts: the fuzz reaches the real code path.
    expect((await pgp.unwrap(key, record.enc, ctx))?.length).toBe(32);
    const msgArb = fc.oneof(
      mutated(new Uint8Array(Buffer.from(record.enc))).map((b) => Buffer.from(b).toString("latin1")),
      fc.string({ maxLength: 200 }).map((s) => `-----BEGIN PGP MESSAGE-----\n\n${s}\n-----END PGP MESSAGE-----\n`),
    );
    await fc.assert(
      fc.asyncProperty(msgArb, async (enc) => {
        await expectSobre(() => pgp.unwrap(key, enc, ctx), enc);
      }),
      fcParams(120),
    );
  });
});

describe(".sops.yaml", () => {
  const valid = `creation_rules:\n  - path_regex: \\.prod\\.yaml$\n    encrypted_regex: ^(data|stringData)$\n    age: ${AGE_RECIPIENT}\n  - key_groups:\n      - age: [${AGE_RECIPIENT}]\n        pgp: [ABCDEF]\n    shamir_threshold: 1\nstores:\n  yaml:\n    indent: 2\n`;
  const load = async (text: string) => readConfigSpec(await parseConfigYaml(text, ".sops.yaml"), "/p/.sops.yaml", ".sops.yaml");

  it("parses the valid sample", async () => {
    const spec = await load(valid);
    expect(spec).toBeTruthy();
  });

  it("random and mutated configs: a spec or a SobreError", async () => {
    const arb = fc.oneof(
      mutated(new Uint8Array(Buffer.from(valid))).map((b) => Buffer.from(b).toString("utf8")),
      fc.string({ maxLength: 200 }),
      fc.constantFrom("creation_rules: 5", "creation_rules: [[]]", "creation_rules:\n  - path_regex: '('", "creation_rules:\n  - path_regex: '(?=x)'", "a: &a [*a]", "stores: {yaml: {indent: -1}}", "creation_rules:\n  - shamir_threshold: 1e99"),
    );
    await fc.assert(
      fc.asyncProperty(arb, async (text) => {
        // .sops.yaml holds no secrets: its messages may quote keys and patterns.
        await expectSobre(() => load(text), text, "\u0000no-secret-here");
      }),
      fcParams(500),
    );
  });
});

describe("key service requests", () => {
  it("random wire keys: a MasterKey or a SobreError", async () => {
    const fieldArb = fc.dictionary(fc.constantFrom("recipient", "fingerprint", "arn", "role", "context", "aws_profile", "resource_id", "vault_url", "name", "version", "vault_address", "engine_path", "key_name", "__proto__"), fc.oneof(fc.string({ maxLength: 20 }), fc.integer(), fc.constant(null), fc.dictionary(fc.string({ maxLength: 4 }), fc.anything({ maxDepth: 1 }))));
    const wireArb = fc.oneof(
      fc.constant(null),
      fc.dictionary(fc.constantFrom("kms_key", "pgp_key", "gcp_kms_key", "azure_keyvault_key", "vault_key", "age_key", "hckms_key", "other"), fc.oneof(fieldArb, fc.constant(null), fc.string())),
    );
    await fc.assert(
      fc.asyncProperty(wireArb, async (wire) => {
        await expectSobre(() => fromWireKey(wire as never), wire);
      }),
      fcParams(800),
    );
  });
});
