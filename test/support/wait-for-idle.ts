import { DataSource } from 'typeorm';
import { TestApp } from './test-app';

/**
 * Until no sync job of the account is queued or running (the app's worker runs them in the
 * background): polls the queue, and fails after `timeoutMs` naming the account.
 */
export async function waitForIdle(
  t: TestApp,
  accountId: number,
  timeoutMs = 30_000,
  pollMs = 50,
): Promise<void> {
  const ds = t.app.get(DataSource);
  const until = Date.now() + timeoutMs;
  for (;;) {
    const [{ n }] = await ds.query(
      `SELECT COUNT(*) AS n FROM sync_job WHERE account_id = ? AND status IN ('queued', 'running')`,
      [accountId],
    );
    if (Number(n) === 0) return;
    if (Date.now() > until)
      throw new Error(`sync jobs of account ${accountId} still active after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, pollMs));
  }
}
