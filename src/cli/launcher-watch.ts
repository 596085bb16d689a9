// Stop with the launcher: under `npx`/`npm exec`, SIGTERM to npm kills npm but not this process, so watch it.
import { readFileSync } from 'node:fs';

const POLL_MS = 500;

/** Parent pid of `pid` from /proc (Linux); undefined where /proc is not available. */
function parentOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may contain spaces: state, ppid, ...
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    return Number.isInteger(ppid) && ppid > 0 ? ppid : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * When started by npm (`npm_command` is set by `npx` and `npm exec`/`npm run`), the launcher chain is
 * npm → sh → node. npm exits on SIGTERM without signalling its child, leaving this process orphaned and holding
 * its port and locks. Watch the launcher processes (the parent and, for the intermediate shell, the grandparent)
 * and raise `signal` on ourselves when one of them is gone, so the command's own handlers shut it down cleanly.
 */
export function stopWithLauncher(
  env: NodeJS.ProcessEnv = process.env,
  signal: NodeJS.Signals = 'SIGTERM',
): void {
  if (!env.npm_command) return;
  const launchers = [process.ppid];
  const grandparent = parentOf(process.ppid);
  if (grandparent !== undefined && grandparent > 1) launchers.push(grandparent);
  const timer = setInterval(() => {
    if (launchers.every(isAlive) && process.ppid === launchers[0]) return;
    clearInterval(timer);
    process.kill(process.pid, signal);
  }, POLL_MS);
  timer.unref();
}
