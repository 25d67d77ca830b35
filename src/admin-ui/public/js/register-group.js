// @ts-check
// "Register a target group" on the webinar page (upcoming webinars only): registers the group's
// members in GoTo (POST /webinars/:id/registrations) and follows the job, with each outcome counted.
import { api } from './api.js';
import { $, busy, clearErrors, el, notice, showErrors, sleep } from './dom.js';
import { state } from './state.js';

/** @typedef {import('./api.js').Webinar} Webinar */
/** @typedef {import('./api.js').TargetGroup} TargetGroup */
/** @typedef {import('./api.js').RegistrationOutcome} RegistrationOutcome */
/** @typedef {import('./latest-load.js').IsCurrent} IsCurrent */

const POLL_MS = 700;

// Labels of the outcomes this page knows; the list itself is the API's (every key of `counts`).
/** @type {Record<string, string>} */
const OUTCOME_LABELS = {
  pending: 'Pending',
  registered: 'Registered',
  already_registered: 'Already registered',
  refused: 'Refused',
  invalid_email: 'Invalid email',
};

/** @type {Webinar | null} the webinar the card registers for */
let target = null;

/**
 * Shows the card for an upcoming webinar (hidden otherwise), with the account's other groups;
 * the groups are left out once `isCurrent` says another webinar is on show.
 * @param {Webinar} w
 * @param {boolean} upcoming
 * @param {IsCurrent} isCurrent
 */
export async function showRegisterCard(w, upcoming, isCurrent) {
  target = upcoming ? w : null;
  const card = $('#register-card');
  card.hidden = !upcoming;
  $('#register-progress').hidden = true;
  clearErrors(card);
  if (!upcoming) return;
  /** @type {import('./api.js').Page<TargetGroup>} */
  const groups = await api('GET', '/target-groups?pageSize=200');
  if (!isCurrent()) return;
  const options = groups.items
    .filter((g) => g.webinarId !== w.id)
    .map((g) => el('option', { value: g.id, text: `${g.name} (${g.memberCount} members)` }));
  $('#register-group', HTMLSelectElement).replaceChildren(...options);
  // Nothing to register from: the form says so rather than sending an empty choice.
  $('#register-submit', HTMLButtonElement).disabled = options.length === 0;
  if (options.length === 0)
    $('#register-error').textContent = 'This account has no other target group yet.';
}

/**
 * The per-outcome counts and a progress bar (people done of people asked for this webinar).
 * @param {Record<RegistrationOutcome, number>} counts
 * @param {boolean} finished
 */
function renderProgress(counts, finished) {
  const total = Object.values(counts).reduce((n, c) => n + c, 0);
  const done = total - (counts.pending ?? 0);
  const box = $('#register-progress');
  box.hidden = false;
  box.replaceChildren(
    el('progress', {
      max: Math.max(total, 1),
      value: done,
      'aria-label': 'Registration progress',
    }),
    el('p', {
      class: 'register-status',
      text: finished ? `Done: ${done} of ${total} people.` : `Registering: ${done} of ${total}…`,
    }),
    el(
      'ul',
      { class: 'outcome-list' },
      Object.entries(counts).map(([k, n]) =>
        el(
          'li',
          { 'data-outcome': k },
          el('span', { class: 'muted', text: `${OUTCOME_LABELS[k] ?? k.replace(/_/g, ' ')}: ` }),
          el('strong', { text: String(n) }),
        ),
      ),
    ),
  );
}

/**
 * @param {Webinar} w
 * @param {number} jobId
 */
async function follow(w, jobId) {
  for (;;) {
    if (!state.account || target?.id !== w.id) return;
    const [job, regs] = await Promise.all([
      /** @type {Promise<import('./api.js').SyncJob>} */ (api('GET', `/sync-jobs/${jobId}`)),
      /** @type {Promise<{ counts: Record<RegistrationOutcome, number> }>} */ (
        api('GET', `/webinars/${w.id}/registrations?pageSize=1`)
      ),
    ]);
    const ended = job.status === 'succeeded' || job.status === 'failed';
    renderProgress(regs.counts, ended);
    if (job.status === 'failed') throw new Error(job.lastError || 'The registration failed.');
    if (ended) return;
    await sleep(POLL_MS);
  }
}

export function bindRegisterGroup() {
  const form = $('#register-form', HTMLFormElement);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const w = target;
    if (!w) return;
    const card = $('#register-card');
    clearErrors(card);
    const groupId = Number($('#register-group', HTMLSelectElement).value);
    await busy($('#register-submit', HTMLButtonElement), async () => {
      try {
        /** @type {import('./api.js').RegistrationsAccepted} */
        const accepted = await api('POST', `/webinars/${w.id}/registrations`, {
          targetGroupId: groupId,
        });
        await follow(w, accepted.jobId);
        notice(`Registration of ${accepted.requested} people for "${w.subject}" finished.`, 'ok');
      } catch (err) {
        showErrors(card, /** @type {import('./api.js').ApiError} */ (err));
      }
    });
  });
}
