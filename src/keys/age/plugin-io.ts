/**
 * The stanza-framed conversation with an `age-plugin-NAME` child process (C2SP
 * age-plugin.md): spawning it, writing stanzas, and reading them line by line.
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { b64Decode, b64Encode, type Stanza } from "./format.js";

/** A running plugin with a stanza reader on its stdout. */
export class PluginConnection {
  private buffered = "";
  private waiters: Array<() => void> = [];
  private closed = false;
  private stderr = "";
  private spawnError: Error | undefined;

  private constructor(private readonly child: ChildProcessWithoutNullStreams, readonly name: string) {
    child.stdout.setEncoding("latin1");
    child.stdout.on("data", (chunk: string) => {
      this.buffered += chunk;
      this.wake();
    });
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (chunk: string) => {
      // Keep only the tail: enough to explain a crash, never unbounded.
      this.stderr = (this.stderr + chunk).slice(-2000);
    });
    child.on("error", (err) => {
      this.spawnError = err;
      this.finish();
    });
    child.stdout.on("end", () => this.finish());
    child.stdin.on("error", () => undefined); // EPIPE surfaces as "closed" on read
  }

  /** Start `age-plugin-<name> --age-plugin=<stateMachine>`, found on `env.PATH`. */
  static open(name: string, stateMachine: string, env: Readonly<Record<string, string | undefined>>): PluginConnection {
    const child = spawn(`age-plugin-${name}`, [`--age-plugin=${stateMachine}`], {
      env: env as NodeJS.ProcessEnv,
      stdio: ["pipe", "pipe", "pipe"],
    });
    return new PluginConnection(child, name);
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  private finish(): void {
    this.closed = true;
    this.wake();
  }

  /** Send one stanza: `-> type args...` and its wrapped base64 body. */
  write(type: string, args: readonly string[] = [], body: Uint8Array = new Uint8Array(0)): void {
    const text = b64Encode(body);
    let out = `-> ${[type, ...args].join(" ")}\n`;
    for (let i = 0; i <= text.length; i += 64) out += text.slice(i, i + 64) + "\n";
    this.child.stdin.write(out, "latin1");
  }

  private async line(): Promise<string> {
    for (;;) {
      const nl = this.buffered.indexOf("\n");
      if (nl >= 0) {
        const line = this.buffered.slice(0, nl);
        this.buffered = this.buffered.slice(nl + 1);
        return line;
      }
      if (this.closed) throw this.failure();
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  private failure(): Error {
    const e = this.spawnError as NodeJS.ErrnoException | undefined;
    if (e?.code === "ENOENT") return new Error(`age-plugin-${this.name} not found on PATH`);
    if (e) return new Error(`could not start age-plugin-${this.name}: ${e.message}`);
    const tail = this.stderr.trim().split("\n").pop();
    return new Error(`age-plugin-${this.name} exited unexpectedly${tail ? `: ${tail}` : ""}`);
  }

  /** Read the next stanza from the plugin. */
  async read(): Promise<Stanza> {
    const head = await this.line();
    if (!head.startsWith("-> ")) throw new Error(`age-plugin-${this.name}: malformed message`);
    const [type, ...args] = head.slice(3).split(" ");
    let text = "";
    for (;;) {
      const l = await this.line();
      text += l;
      if (l.length < 64) break;
    }
    return { type: type ?? "", args, body: b64Decode(text) };
  }

  /** End the conversation; the plugin exits when its stdin closes. */
  close(): void {
    this.child.stdin.end();
    if (this.child.exitCode === null) this.child.unref();
  }
}
