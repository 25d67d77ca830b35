import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig } from '../config/app-config';
import { resolveDataSourceOptions } from './data-source-options';
import { printAppliedMigration, runMigrations } from './run-migrations';

// npm run migration:run | migration:revert | migration:show
async function main(command: string | undefined): Promise<void> {
  const ds = await new DataSource(
    await resolveDataSourceOptions(loadConfig(undefined, { gotoRequired: false }).database),
  ).initialize();
  try {
    if (command === 'run') await runMigrations(ds, printAppliedMigration);
    else if (command === 'revert') await ds.undoLastMigration({ transaction: 'each' });
    else if (command === 'show') {
      const pending = await ds.showMigrations();
      console.log(pending ? 'There are pending migrations.' : 'No pending migrations.');
    } else throw new Error('usage: migrate.ts run|revert|show');
  } finally {
    await ds.destroy();
  }
}

main(process.argv[2]).catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
