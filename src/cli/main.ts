import { processIO } from "./io.js";
import { run } from "./run.js";

// The only place that sets the exit status.
run(process.argv.slice(2), processIO()).then(
  (code) => {
    process.exitCode = code;
  },
  () => {
    process.exitCode = 1;
  },
);
