// Exclusive lock on a data directory: a lock file holding the owner's pid, detected as stale when that process is gone.
import { closeSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

export const LOCK_FILE_NAME = 'gridnest.lock';

interface LockRecord {
  readonly pid: number;
  readonly hostname: string;
  /** Kernel start time of the process (/proc/<pid>/stat field 22), to tell a reused pid from the owner. */
  readonly startTicks: string | null;
  readonly startedAt: string;
}

export interface DataDirLock {
  readonly path: string;
  /** The lock that was found stale and taken over, if any (the previous owner crashed). */
  readonly recoveredFrom: { readonly pid: number; readonly startedAt: string } | null;
  release(): void;
}

/** Raised when another live process holds the directory. */
export class DataDirLockedError extends Error {
  constructor(
    readonly lockPath: string,
    readonly ownerPid: number,
  ) {
    super(
      `data directory is in use by process ${ownerPid} (lock file ${lockPath}); stop that server first, ` +
        'or remove the lock file if you are sure no gridnest process uses the directory',
    );
    this.name = 'DataDirLockedError';
  }
}

function readStartTicks(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name; starttime is field 22 overall, index 19 after ") ".
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19] ?? null;
  } catch {
    return null;
  }
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether the recorded owner is this very process, or another process that is still running. */
function isOwnerAlive(record: LockRecord): boolean {
  if (record.hostname !== hostname()) return true; // cannot check another host: assume alive (safe side)
  if (!isProcessAlive(record.pid)) return false;
  if (record.startTicks === null) return true;
  const ticks = readStartTicks(record.pid);
  return ticks === null || ticks === record.startTicks;
}

function parseRecord(text: string): LockRecord | null {
  try {
    const value = JSON.parse(text) as Partial<LockRecord>;
    if (typeof value.pid !== 'number' || typeof value.hostname !== 'string') return null;
    return {
      pid: value.pid,
      hostname: value.hostname,
      startTicks: typeof value.startTicks === 'string' ? value.startTicks : null,
      startedAt: typeof value.startedAt === 'string' ? value.startedAt : '',
    };
  } catch {
    return null;
  }
}

/**
 * Take the lock on `directory` (created if missing). Exclusive creation (`O_EXCL`) decides between racing
 * starters; a lock whose owner is dead (or whose pid now belongs to a different process) is moved aside
 * atomically with rename and the creation retried, so two starters never both take over the same stale lock.
 */
export function acquireDataDirLock(directory: string): DataDirLock {
  mkdirSync(directory, { recursive: true });
  const path = join(directory, LOCK_FILE_NAME);
  const record: LockRecord = {
    pid: process.pid,
    hostname: hostname(),
    startTicks: readStartTicks(process.pid),
    startedAt: new Date().toISOString(),
  };
  let recoveredFrom: DataDirLock['recoveredFrom'] = null;
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, JSON.stringify(record));
      closeSync(fd);
      let released = false;
      return {
        path,
        recoveredFrom,
        release() {
          if (released) return;
          released = true;
          try {
            const current = parseRecord(readFileSync(path, 'utf8'));
            if (current?.pid === process.pid) rmSync(path);
          } catch {
            // already gone
          }
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      continue; // removed meanwhile: retry the exclusive create
    }
    const owner = parseRecord(text);
    if (owner === null && text.length === 0 && attempt === 0) {
      // A starter may be between create and write: give it a moment before judging the file.
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
      continue;
    }
    if (owner !== null && isOwnerAlive(owner)) throw new DataDirLockedError(path, owner.pid);
    // Stale: move it aside (atomic); only one racing starter wins the rename of this file.
    const aside = `${path}.stale-${process.pid}-${Date.now()}`;
    try {
      renameSync(path, aside);
    } catch {
      continue;
    }
    const moved = parseRecord(readFileSync(aside, 'utf8'));
    if (moved !== null && isOwnerAlive(moved)) {
      // We moved a fresh lock taken by a racing starter between our read and rename: give it back and stop.
      renameSync(aside, path);
      throw new DataDirLockedError(path, moved.pid);
    }
    rmSync(aside);
    recoveredFrom = { pid: owner?.pid ?? -1, startedAt: owner?.startedAt ?? '' };
  }
  throw new Error(`could not take the lock ${path} after several attempts`);
}
