#!/usr/bin/env node
// Node ≥ 22.1 keeps a compile cache of dist/ between runs (faster start-up); older Node
// has no enableCompileCache and skips it. NODE_DISABLE_COMPILE_CACHE=1 turns it off.
import module from "node:module";

module.enableCompileCache?.();
await import("../dist/main.js");
