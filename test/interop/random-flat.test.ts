import { randomSuite } from "./random-suite.js";

randomSuite(["dotenv", "ini", "binary"]);
