// @ts-check
// Follows sync jobs over REST until they end: an organizer's sync, then the participant jobs it
// chained, so that its row can show live progress.
import { api } from './api.js';
import { sleep } from './dom.js';
import { state } from './state.js';

/** @typedef {import('./api.js').SyncJob} SyncJob */
/** @typedef {{ jobId: number | null, text: string, value?: number, max?: number }} SyncProgress */

const POLL_MS = 700;

/** @type {Map<number, SyncProgress>} organizerId -> what its row shows while a sync runs */
export const syncing = new Map();

// The phases an organizer sync reports (src/sync/handlers/organizer-sync.flow.ts).
/** @type {Record<string, string>} */
const PHASES = {
  webinars: 'Importing webinars',
  'queueing participants': 'Queueing participant syncs',
};

/**
 * What an organizer's row shows for its running sync job. While importing, the job reports
 * `webinarsDone` (no total is known yet); while queueing participant jobs, also `webinarsTotal`.
 * @param {SyncJob} job
 * @returns {Omit<SyncProgress, 'jobId'>}
 */
export function describeProgress(job) {
  if (job.status === 'queued') return { text: 'Queued…' };
  const p = job.progress ?? {};
  const phase = typeof p.phase === 'string' ? (PHASES[p.phase] ?? p.phase) : '';
  const done = typeof p.webinarsDone === 'number' ? p.webinarsDone : 0;
  const total = typeof p.webinarsTotal === 'number' ? p.webinarsTotal : 0;
  if (total > 0) {
    const value = Math.min(done, total);
    return { text: `${phase || 'Webinars'}: ${value} of ${total}`, value, max: total };
  }
  if (done > 0) return { text: `${phase || 'Webinars'}: ${done} so far` };
  return { text: phase ? `${phase}…` : 'Running…' };
}

/**
 * Polls one job until it ends; `onProgress` sees it while it is queued or running.
 * @param {number} jobId
 * @param {(job: SyncJob) => void} [onProgress]
 * @returns {Promise<SyncJob | null>} the ended job, or null when the user signed out meanwhile
 */
export async function waitForJob(jobId, onProgress) {
  for (;;) {
    if (!state.account) return null;
    /** @type {SyncJob} */
    const job = await api('GET', `/sync-jobs/${jobId}`);
    if (job.status === 'succeeded' || job.status === 'failed') return job;
    onProgress?.(job);
    await sleep(POLL_MS);
  }
}

/**
 * Follows an organizer's sync job, then the jobs it chained, until none is queued or running.
 * @param {number} organizerId
 * @param {number} jobId
 * @param {() => void} changed called whenever `syncing` changed
 * @returns {Promise<{ failed: string | null } | null>} why it failed; null when the user signed out
 */
export async function followSync(organizerId, jobId, changed) {
  syncing.set(organizerId, { jobId, text: 'Queued…' });
  changed();
  try {
    const job = await waitForJob(jobId, (running) => {
      syncing.set(organizerId, { jobId, ...describeProgress(running) });
      changed();
    });
    if (!job) return null;
    if (job.status === 'failed') return { failed: job.lastError || 'The sync failed.' };
    await followChain(organizerId, jobId, changed);
    return { failed: null };
  } catch (err) {
    return { failed: err instanceof Error ? err.message : String(err) };
  } finally {
    syncing.delete(organizerId);
  }
}

/**
 * Waits for the organizer's open jobs (the chained participant syncs) to end, counting them down.
 * @param {number} organizerId
 * @param {number | null} jobId the job that chained them, if known
 * @param {() => void} changed
 */
export async function followChain(organizerId, jobId, changed) {
  let peak = 0;
  for (;;) {
    if (!state.account) return;
    let open;
    try {
      open = await openJobs(organizerId);
    } catch {
      return; // the job list cannot be read now: the first job is all we can follow
    }
    if (open === 0) return;
    peak = Math.max(peak, open);
    syncing.set(organizerId, {
      jobId,
      text: `Syncing participants: ${peak - open} of ${peak} webinars`,
      value: peak - open,
      max: peak,
    });
    changed();
    await sleep(POLL_MS);
  }
}

/** @param {number} organizerId */
async function openJobs(organizerId) {
  const counts = await Promise.all(
    ['queued', 'running'].map(async (status) => {
      /** @type {import('./api.js').Page<SyncJob>} */
      const page = await api(
        'GET',
        `/sync-jobs?organizerId=${organizerId}&status=${status}&pageSize=1`,
      );
      return page.total;
    }),
  );
  return counts[0] + counts[1];
}
