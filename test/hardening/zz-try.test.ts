import { it } from "vitest";
import { encryptText, decryptBytes, availableFormats, SAMPLES } from "./support/samples.js";
it("x", async () => {
  const f = await availableFormats();
  console.log([...f.keys()]);
  for (const name of f.keys()) {
    try { const e = await encryptText(name, SAMPLES[name]); console.log(Buffer.from(e).toString()); console.log(Buffer.from(await decryptBytes(name, e)).toString()); } catch (err) { console.log(name, err); }
  }
});
