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
