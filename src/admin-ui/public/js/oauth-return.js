// @ts-check
// Back from GoTo's consent page: the callback redirects to /admin?oauth=confirm&link=… (the GoTo
// user is shown and linked only once confirmed here) or /admin?oauth=failed&error=CODE.
import { api } from './api.js';
import { $, busy, clearErrors, notice, showErrors } from './dom.js';
import { followConnectedOrganizer, loadOrganizers } from './organizers.js';
import { state } from './state.js';

/**
 * @typedef {object} PendingLink
 * @property {string} email
 * @property {string | null} displayName
 * @property {string} organizerKey
 * @property {number | null} existingOrganizerId
 */

export async function oauthOutcome() {
  const params = new URLSearchParams(window.location.search);
  const outcome = params.get('oauth');
  if (!outcome) return;
  history.replaceState(null, '', window.location.pathname);
  const link = params.get('link');
  if (outcome !== 'confirm' || !link) {
    notice(
      `Connecting with GoTo failed (${params.get('error') || 'unknown error'}). Try again.`,
      'error',
    );
    return;
  }
  const path = `/organizers/oauth/links/${encodeURIComponent(link)}`;
  /** @type {PendingLink} */
  let pending;
  try {
    pending = await api('GET', path);
  } catch (err) {
    const e = /** @type {import('./api.js').ApiError} */ (err);
    notice(`Connecting with GoTo failed (${e.code || e.message}). Try again.`, 'error');
    return;
  }
  const linked = await confirmLink(path, pending);
  if (!linked) return;
  await loadOrganizers().catch(() => undefined);
  const o = state.organizers.find((x) => x.id === linked.id) || linked;
  notice(`${o.email} was connected with GoTo. Its complete sync is queued.`, 'ok');
  await followConnectedOrganizer(o);
}

/**
 * Resolves with the linked organizer, or null when the user cancels.
 * @param {string} path
 * @param {PendingLink} pending
 * @returns {Promise<import('./api.js').Organizer | null>}
 */
function confirmLink(path, pending) {
  const dialog = $('#oauth-confirm-dialog', HTMLDialogElement);
  const form = $('#oauth-confirm-form', HTMLFormElement);
  const cancel = $('#oauth-confirm-cancel', HTMLButtonElement);
  const who = pending.displayName ? `${pending.displayName} (${pending.email})` : pending.email;
  $('#oauth-confirm-user').textContent = `GoTo user: ${who || pending.organizerKey}`;
  $('#oauth-confirm-note').textContent = pending.existingOrganizerId
    ? 'This organizer is already linked: it will be reconnected with GoTo.'
    : 'It will be added as an organizer of this account and its complete sync queued.';
  clearErrors(form);
  return new Promise((resolve) => {
    /** @param {import('./api.js').Organizer | null} value */
    const done = (value) => {
      form.removeEventListener('submit', onSubmit);
      cancel.removeEventListener('click', onCancel);
      dialog.removeEventListener('cancel', onCancel);
      dialog.close();
      resolve(value);
    };
    /** @param {Event} ev */
    const onCancel = (ev) => {
      ev.preventDefault();
      void api('DELETE', path).catch(() => undefined);
      notice('The GoTo user was not linked.', 'info');
      done(null);
    };
    /** @param {Event} ev */
    const onSubmit = async (ev) => {
      ev.preventDefault();
      clearErrors(form);
      await busy($('#oauth-confirm-submit', HTMLButtonElement), async () => {
        try {
          done(await api('POST', `${path}/confirm`));
        } catch (err) {
          showErrors(form, /** @type {import('./api.js').ApiError} */ (err));
        }
      });
    };
    form.addEventListener('submit', onSubmit);
    cancel.addEventListener('click', onCancel);
    dialog.addEventListener('cancel', onCancel);
    dialog.showModal();
  });
}
