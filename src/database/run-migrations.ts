import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { withNamedLock } from './named-lock';

const LOCK = 'webinar-sync:migrations';

// Several instances may start at once: only the holder of the named lock migrates; the others
// wait for it and then find nothing pending.
export async function runMigrations(
  ds: DataSource,
  logger = new Logger('Migrations'),
): Promise<void> {
  const outcome = await withNamedLock(ds, LOCK, 300, async () => {
    const done = await ds.runMigrations({ transaction: 'each' });
    for (const m of done) logger.log(`applied ${m.name}`);
  });
  if (!outcome.ran) throw new Error(`could not take the ${LOCK} lock within 300 s`);
}
