import { directStdoutIO } from "./io.js";
import { run } from "./run.js";

// The only place that sets the exit status. stdout goes straight to fd 1 as in the single
// executable (creating Node's stdout stream costs ~2 ms of a short run).
run(process.argv.slice(2), directStdoutIO()).then(
  (code) => {
    process.exitCode = code;
  },
  () => {
    process.exitCode = 1;
  },
);
