import { createDecipheriv, createHash } from "node:crypto";
import { Decrypter, armor } from "age-encryption";
import { parse as parseYaml } from "yaml";

/**
 * A deliberately separate reader of SOPS YAML/JSON files, written from the format spec
 * and sharing no code with src/: the `yaml` package for parsing, `age-encryption` for the
 * data key, node:crypto for AES-GCM. Tests use it to prove files sobre writes are
 * readable by an implementation other than sobre's own (besides the real `sops`).
 * Only string values may be left unencrypted (JS numbers lose int/float).
 */
export async function independentDecrypt(text: string, format: "yaml" | "json", ageIdentity: string): Promise<Record<string, unknown>> {
  const doc = (format === "json" ? JSON.parse(text) : parseYaml(text)) as Record<string, unknown>;
  const sops = doc["sops"] as { age: { enc: string; recipient: string }[]; mac: string; lastmodified: string; unencrypted_suffix?: string };
  delete doc["sops"];
  const d = new Decrypter();
  d.addIdentity(ageIdentity);
  let dataKey: Uint8Array | undefined;
  for (const entry of sops.age) {
    try {
      dataKey = await d.decrypt(armor.decode(entry.enc));
      break;
    } catch {
      // not for this identity
    }
  }
  if (!dataKey) throw new Error("no age stanza opened");
  const hash = createHash("sha512");
  const suffix = sops.unencrypted_suffix ?? "_unencrypted";
  const walk = (value: unknown, path: string[]): unknown => {
    if (Array.isArray(value)) return value.map((v) => walk(v, path));
    if (value && typeof value === "object") {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[k] = walk(v, [...path, k]);
      return out;
    }
    if (value === null) return null;
    if (path.some((p) => p.endsWith(suffix))) {
      hash.update(String(value));
      return value;
    }
    if (value === "") return "";
    const m = /^ENC\[AES256_GCM,data:(.*),iv:(.*),tag:(.*),type:(.*)\]$/.exec(String(value));
    if (!m) throw new Error(`not encrypted at ${path.join(".")}`);
    const decipher = createDecipheriv("aes-256-gcm", dataKey!, Buffer.from(m[2]!, "base64"));
    decipher.setAAD(Buffer.from(path.join(":") + ":"));
    decipher.setAuthTag(Buffer.from(m[3]!, "base64"));
    const plain = Buffer.concat([decipher.update(Buffer.from(m[1]!, "base64")), decipher.final()]).toString("utf8");
    hash.update(plain);
    switch (m[4]) {
      case "int":
        return BigInt(plain);
      case "float":
        return Number(plain);
      case "bool":
        return plain === "True";
      default:
        return plain;
    }
  };
  const values = walk(doc, []) as Record<string, unknown>;
  const mac = /^ENC\[AES256_GCM,data:(.*),iv:(.*),tag:(.*),type:str\]$/.exec(sops.mac)!;
  const decipher = createDecipheriv("aes-256-gcm", dataKey, Buffer.from(mac[2]!, "base64"));
  decipher.setAAD(Buffer.from(sops.lastmodified));
  decipher.setAuthTag(Buffer.from(mac[3]!, "base64"));
  const storedMac = Buffer.concat([decipher.update(Buffer.from(mac[1]!, "base64")), decipher.final()]).toString();
  if (storedMac !== hash.digest("hex").toUpperCase()) throw new Error("MAC mismatch");
  return values;
}
