// CPU time, wake-ups and memory of a process read from /proc, for the benchmarks that measure a hub they started.
import { readFileSync, readdirSync } from 'node:fs';

/** CPU time of every live thread of `pid`, in ns (schedstat): precise enough for one 1 s slice. */
export function cpuNs(pid: number): number {
  let ns = 0;
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    try {
      ns += Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return ns;
}

/** The kernel's clock tick, in ns (USER_HZ: 100 on Linux for every architecture the project runs on). */
const TICK_NS = 10_000_000;

/**
 * CPU time of `pid` and of every process it started, in ns: PostgreSQL runs each connection in a backend of its own,
 * which the postmaster's own threads do not count. A child that ended and was waited for is counted from its parent's
 * `cutime` and `cstime` (to the tick): without them, a backend closing would take its whole CPU time out of the sum.
 */
export function treeCpuNs(pid: number): number {
  let ns = 0;
  try {
    ns += cpuNs(pid);
    // /proc/PID/stat after the command's closing parenthesis: fields 3 onwards; cutime and cstime are fields 16 and 17.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    ns += (Number(fields[13]) + Number(fields[14])) * TICK_NS;
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      const children = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
      for (const child of children ? children.split(' ') : []) ns += treeCpuNs(Number(child));
    }
  } catch {
    // The process (or a child) ended between the listing and the read.
  }
  return ns;
}

/** CPU time of the main thread of `pid` alone (its event loop), in ns: the rest is V8's and libuv's helper threads. */
export function mainThreadNs(pid: number): number {
  return Number(readFileSync(`/proc/${pid}/task/${pid}/schedstat`, 'utf8').split(' ')[0]);
}

/**
 * How many times every thread of `pid` went to sleep and was woken since it started (voluntary context switches): on
 * this VM a wake-up costs about what relaying a message does, so the count explains much of a server's CPU.
 */
export function wakeUps(pid: number): number {
  let n = 0;
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    try {
      const m = /voluntary_ctxt_switches:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/task/${task}/status`, 'utf8'));
      n += Number(m?.[1] ?? 0);
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return n;
}

/** Resident memory of `pid` in MB (VmRSS); 0 if /proc does not say. */
export function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : 0;
}
