import { run } from "./run.js";
import { seaIO } from "./sea-main.js";

// The only place that sets the exit status. stdout goes straight to fd 1 as in the single
// executable (seaIO: creating Node's stdout stream costs ~2 ms of a short run).
run(process.argv.slice(2), seaIO()).then(
  (code) => {
    process.exitCode = code;
  },
  () => {
    process.exitCode = 1;
  },
);
