import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { withNamedLock } from './named-lock';

const LOCK = 'webinar-sync:migrations';

/** Reports one applied migration by name. */
export type MigrationReport = (migration: string) => void;

const logger = new Logger('Migrations');

/** In the app: one structured line per migration (JSON through nestjs-pino). */
export const logAppliedMigration: MigrationReport = (migration) =>
  logger.log({ migration }, 'migration applied');

/**
 * On a terminal (`npm run migration:run`): a plain line. There is no pino logger outside the app,
 * and Nest's console logger would print the fields as an object dump plus a second line.
 */
export const printAppliedMigration: MigrationReport = (migration) =>
  console.log(`applied ${migration}`);

// Several instances may start at once: only the holder of the named lock migrates; the others
// wait for it and then find nothing pending.
export async function runMigrations(
  ds: DataSource,
  report: MigrationReport = logAppliedMigration,
): Promise<void> {
  const outcome = await withNamedLock(ds, LOCK, 300, async () => {
    const done = await ds.runMigrations({ transaction: 'each' });
    for (const m of done) report(m.name);
  });
  if (!outcome.ran) throw new Error(`could not take the ${LOCK} lock within 300 s`);
}
