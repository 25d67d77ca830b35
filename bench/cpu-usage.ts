// CPU seconds used by the processes of a benchmark run: this one (all its threads), the simulator
// (asked over IPC) and a local MariaDB/MySQL server (from /proc, Linux; null elsewhere). On a
// shared machine they compete for the same cores, which explains much of the wall time.
import { readdirSync, readFileSync } from 'node:fs';

/** Linux reports process times in USER_HZ ticks, 100 per second on every mainstream kernel. */
const USER_HZ = 100;

export const ownCpuSeconds = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

/** utime + stime of the first process named mariadbd or mysqld, in seconds; null if none. */
export function databaseCpuSeconds(): number | null {
  let dirs: string[];
  try {
    dirs = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return null;
  }
  for (const pid of dirs) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      if (name !== 'mariadbd' && name !== 'mysqld') continue;
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // fields[0] is field 3 (state): utime and stime are fields 14 and 15
      return (Number(fields[11]) + Number(fields[12])) / USER_HZ;
    } catch {
      continue;
    }
  }
  return null;
}

/** Starts counting; the result reads the CPU seconds this process and the local database have used since. */
export function cpuSince(): () => { own: number; db: number | null } {
  const own0 = ownCpuSeconds();
  const db0 = databaseCpuSeconds();
  return () => {
    const db1 = databaseCpuSeconds();
    return { own: ownCpuSeconds() - own0, db: db0 === null || db1 === null ? null : db1 - db0 };
  };
}
