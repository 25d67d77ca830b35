// The ceiling: the same number of webinar_participant-shaped rows written by hand-built multi-row
// INSERT … ON DUPLICATE KEY UPDATE statements over one mysql2 connection, nothing else.
import { createConnection } from 'mysql2/promise';
import { cpuSince } from './cpu-usage';

export interface RawResult {
  rows: number;
  seconds: number;
  rowsPerSecond: number;
  /** CPU seconds of the writing: this process (building the statements) and a local MariaDB. */
  cpu: { client: number; db: number | null };
}

export async function rawInsertCeiling(
  url: string,
  rows: number,
  batch = 1000,
): Promise<RawResult> {
  const conn = await createConnection({ uri: url, timezone: 'Z' });
  try {
    await conn.query('DROP TABLE IF EXISTS bench_raw_participant');
    await conn.query('CREATE TABLE bench_raw_participant LIKE webinar_participant');
    const now = new Date();
    const cpuNow = cpuSince();
    const started = performance.now();
    for (let i = 0; i < rows; i += batch) {
      const values: unknown[][] = [];
      for (let j = i; j < Math.min(rows, i + batch); j++) {
        const attended = j % 2 === 0;
        values.push([
          1 + Math.floor(j / 1000), // webinar_id
          j + 1, // subscriber_id
          String(9007199254740993000n + BigInt(j)),
          attended ? 2 : 1,
          'approved',
          now,
          attended ? 1800 : 0,
          attended ? 1 : 0,
          attended ? now : null,
          attended ? now : null,
          now,
          now,
        ]);
      }
      await conn.query(
        `INSERT INTO bench_raw_participant (webinar_id, subscriber_id, registrant_key, webinar_participant_status_id,
           registration_status, registered_at, attendance_seconds, sessions_attended, first_joined_at, last_left_at,
           created_at, updated_at)
         VALUES ?
         ON DUPLICATE KEY UPDATE registrant_key = VALUES(registrant_key),
           webinar_participant_status_id = VALUES(webinar_participant_status_id),
           registration_status = VALUES(registration_status), registered_at = VALUES(registered_at),
           attendance_seconds = VALUES(attendance_seconds), sessions_attended = VALUES(sessions_attended),
           first_joined_at = VALUES(first_joined_at), last_left_at = VALUES(last_left_at), updated_at = VALUES(updated_at)`,
        [values],
      );
    }
    const seconds = (performance.now() - started) / 1000;
    const { own, db } = cpuNow();
    const cpu = { client: own, db };
    await conn.query('DROP TABLE bench_raw_participant');
    return { rows, seconds, rowsPerSecond: rows / seconds, cpu };
  } finally {
    await conn.end();
  }
}
