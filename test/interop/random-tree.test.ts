import { randomSuite } from "./random-suite.js";

randomSuite(["yaml", "json"]);
