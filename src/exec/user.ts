import { spawnSync } from "node:child_process";
import { ExecError } from "../errors.js";

/** The account a child runs as (`--user`). */
export interface TargetUser {
  name: string;
  uid: number;
  gid: number;
  home: string;
}

function run(cmd: string, args: string[]): string | undefined {
  const r = spawnSync(cmd, args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
  return r.status === 0 && typeof r.stdout === "string" ? r.stdout.trim() : undefined;
}

/**
 * Resolve a user name (or numeric uid) with `getent passwd`, falling back to `id`.
 * Node has no getpwnam binding; these tools are present on every Linux and macOS.
 */
export function resolveUser(name: string): TargetUser {
  const line = run("getent", ["passwd", name])?.split("\n")[0];
  if (line) {
    const f = line.split(":");
    const uid = Number(f[2]);
    const gid = Number(f[3]);
    if (Number.isInteger(uid) && Number.isInteger(gid)) return { name: f[0] ?? name, uid, gid, home: f[5] || "/" };
  }
  const uid = Number(run("id", ["-u", name]));
  const gid = Number(run("id", ["-g", name]));
  const resolved = run("id", ["-un", name]);
  if (!Number.isInteger(uid) || !Number.isInteger(gid) || run("id", ["-u", name]) === undefined) {
    throw new ExecError(`unknown user "${name}"`, { hint: "pass an existing user name or uid to --user" });
  }
  return { name: resolved ?? name, uid, gid, home: "/" };
}

/**
 * Check that we may switch to `user`: root can become anyone; others only themselves.
 * Supplementary groups are dropped (libuv calls setgroups(0) when changing uid/gid).
 */
export function assertCanSwitchTo(user: TargetUser): void {
  const me = process.getuid?.();
  if (me === undefined) throw new ExecError("--user is not supported on this platform");
  if (me !== 0 && me !== user.uid) {
    throw new ExecError(`cannot run the command as ${user.name}: sobre is not running as root`, {
      hint: "run sobre with sudo, or drop --user",
    });
  }
}

/** SOPS sets these for the target user (exec_unix.go UserEnv). */
export function userEnv(user: TargetUser): Record<string, string> {
  return { HOME: user.home, USER: user.name, LOGNAME: user.name };
}
