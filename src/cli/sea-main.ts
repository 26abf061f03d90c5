/**
 * Entry of the single executable's core bundle (scripts/sea/bundle.mjs). It exports, and
 * runs nothing: scripts/sea/loader.cjs calls `run(argv, seaIO())` as src/cli/main.ts does,
 * and the build-time trainer calls `run` with an in-memory IO.
 */
export { run } from "./run.js";
export { directStdoutIO as seaIO } from "./io.js";
