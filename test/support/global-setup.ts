import { isMysqlAvailable } from './test-database';

// Runs once per Jest run: find out whether MySQL is there (fails with REQUIRE_MYSQL=1 if not);
// the answer reaches the workers through the environment.
export default async function globalSetup(): Promise<void> {
  process.env.MYSQL_AVAILABLE = (await isMysqlAvailable()) ? '1' : '0';
}
