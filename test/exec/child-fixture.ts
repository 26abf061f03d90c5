import { writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * A small Node child for exec tests. Behaviour by env:
 * REPORT=path: write {env, file contents, modes, tmpfs?} there as JSON;
 * FILE=path read it (READS times); EXIT=n exit code; ON_TERM=ms: on SIGTERM wait, then
 * record and exit 7; WAIT=ms: stay alive that long (for signal tests); READY=path touch.
 */
export const CHILD_SOURCE = `
const fs = require("node:fs");
const path = require("node:path");
const report = { env: { ...process.env }, reads: [] };
const file = process.argv[2];
if (file) {
  const st = fs.statSync(file);
  report.fileMode = (st.mode & 0o777).toString(8);
  report.isFifo = st.isFIFO();
  report.dirMode = (fs.statSync(path.dirname(file)).mode & 0o777).toString(8);
  report.fsType = fs.statfsSync(path.dirname(file)).type;
  const n = Number(process.env.READS || "1");
  for (let i = 0; i < n; i++) report.reads.push(fs.readFileSync(file, "utf8"));
  report.path = file;
}
const save = () => process.env.REPORT && fs.writeFileSync(process.env.REPORT, JSON.stringify(report));
save();
if (process.env.ON_TERM) {
  process.on("SIGTERM", () => {
    report.gotSigterm = true;
    report.stillThere = file ? fs.existsSync(file) : undefined;
    save();
    setTimeout(() => process.exit(7), Number(process.env.ON_TERM));
  });
}
if (process.env.READY) fs.writeFileSync(process.env.READY, "1");
if (process.env.WAIT) setTimeout(() => process.exit(Number(process.env.EXIT || "0")), Number(process.env.WAIT));
else process.exit(Number(process.env.EXIT || "0"));
`;

/** Write the child script into `dir` (CommonJS, so it runs with plain `node`). */
export function writeChild(dir: string): string {
  const p = join(dir, "child.cjs");
  writeFileSync(p, CHILD_SOURCE);
  return p;
}
