// CPU time of a process read from /proc, for the benchmarks that measure a hub they started.
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
