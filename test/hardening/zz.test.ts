import { it } from "vitest";
import { loadFormat } from "../../src/formats/registry.js";
import { encryptText, decryptBytes } from "./support/samples.js";
const D = 10000;
const cases: [string, string, string][] = [
  ["json", "arr", "[".repeat(D) + "]".repeat(D)],
  ["json", "obj", '{"a":'.repeat(D) + "1" + "}".repeat(D)],
  ["json", "objwrap", '{"x":' + "[".repeat(D) + "]".repeat(D) + "}"],
  ["yaml", "flow", "a: " + "[".repeat(D) + "]".repeat(D)],
  ["yaml", "block", Array.from({ length: D }, (_, i) => " ".repeat(i) + "a:").join("\n") + " 1\n"],
  ["yaml", "blockseq", Array.from({ length: D }, (_, i) => " ".repeat(i*2) + "- ").join("\n") + "x\n"],
  ["toml", "arr", "a = " + "[".repeat(D) + "]".repeat(D)],
  ["toml", "inline", "a = " + "{b = ".repeat(D) + "1" + "}".repeat(D)],
  ["toml", "dotted", "a" + ".a".repeat(D) + " = 1"],
];
it.each(cases)("%s %s", async (fmt, _n, text) => {
  const f = await loadFormat(fmt as any);
  try { const d = await f.parse(Buffer.from(text), { file: "x", mode: "plain" }); console.log(fmt, _n, "parsed"); 
    try { const e = await encryptText(fmt as any, text); console.log("enc ok", e.length); await decryptBytes(fmt as any, e); console.log("dec ok"); } catch (e: any) { console.log("ENC/DEC", e.name, e.message.slice(0, 200), e.stack?.split("\n").slice(0,4).join("|")); }
  } catch (e: any) { console.log(fmt, _n, e.name, e.message.slice(0, 200), e.name === "RangeError" ? e.stack?.split("\n").slice(0,5).join("|") : ""); }
});
