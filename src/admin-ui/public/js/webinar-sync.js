// @ts-check
// A webinar's participant sync on demand, and its reconciliation line (matches GoTo or not, with a
// Repair that runs that sync): shared by the webinar list and the webinar page.
import { api } from './api.js';
import { badge, el, notice } from './dom.js';
import { waitForJob } from './sync-progress.js';

/** @typedef {import('./api.js').Webinar} Webinar */

/**
 * Queues the webinar's participant sync and follows it on the button; `done` runs after success.
 * @param {Webinar} w
 * @param {HTMLButtonElement} button
 * @param {() => Promise<void>} done
 */
export async function syncWebinar(w, button, done) {
  const original = button.textContent;
  button.disabled = true;
  try {
    /** @type {{ jobId: number }} */
    const { jobId } = await api('POST', `/webinars/${w.id}/sync`);
    const job = await waitForJob(jobId, (running) => {
      button.textContent = running.status === 'queued' ? 'Queued…' : 'Syncing…';
    });
    if (!job) return; // signed out meanwhile
    if (job.status === 'failed') throw new Error(job.lastError || 'The sync failed.');
    notice(`Participants of "${w.subject}" synced.`, 'ok');
    await done();
  } catch (err) {
    notice(`Sync of "${w.subject}" failed: ${/** @type {Error} */ (err).message}`, 'error');
    button.textContent = original;
    button.disabled = false;
  }
}

/**
 * Whether the stored participants agree with GoTo's own counts (no GoTo call), with a repair
 * (a participant sync) when they do not; `repaired` runs after the repair.
 * @param {Webinar} w
 * @param {() => Promise<void>} repaired
 */
export async function reconciliationLine(w, repaired) {
  /** @type {import('./api.js').Reconciliation} */
  const r = await api('GET', `/webinars/${w.id}/reconciliation`);
  const line = el('div', { class: 'reconciliation', 'data-reconciliation': w.id });
  if (!r.goto) {
    line.append(badge('muted', 'Not checked yet'));
    return line;
  }
  const detail = r.checks.map((c) => `${c.name}: GoTo ${c.goto}, stored ${c.stored}`).join(' · ');
  line.append(
    r.drift ? badge('warn', 'Differs from GoTo') : badge('ok', 'Matches GoTo'),
    ' ',
    el('span', { class: 'muted', text: detail }),
  );
  if (r.drift) {
    const repair = el('button', {
      type: 'button',
      class: 'btn btn-sm',
      'aria-label': `Repair: ${w.subject}`,
      text: 'Repair',
    });
    repair.addEventListener('click', () => syncWebinar(w, repair, repaired));
    line.append(' ', repair);
  }
  return line;
}
