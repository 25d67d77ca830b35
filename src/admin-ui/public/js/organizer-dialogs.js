// @ts-check
// The two organizer pop-ups: Add Organizer (password, personal access token or GoTo OAuth) and
// an organizer's Actions (change its email and write-only secret).
import { api } from './api.js';
import { $, $$, busy, clearErrors, notice, showErrors } from './dom.js';
import { AUTH_METHOD_LABELS } from './format.js';
import {
  followOrganizerSync,
  loadOrganizers,
  onOrganizerActions,
  replaceOrganizer,
} from './organizers.js';
import { state } from './state.js';

/** @typedef {import('./api.js').Organizer} Organizer */

/** @param {string} selector */
const inputValue = (selector) => $(selector, HTMLInputElement).value;

function selectedMethod() {
  return inputValue('#add-organizer-form input[name=method]:checked');
}

function showMethodFields() {
  const method = selectedMethod();
  for (const node of $$('#add-organizer-form [data-method]')) {
    node.hidden = !(node.dataset.method ?? '').split(' ').includes(method);
  }
  $('#add-organizer-submit').textContent =
    method === 'oauth' ? 'Connect with GoTo' : 'Add organizer';
}

function bindAddOrganizer() {
  const dialog = $('#add-organizer-dialog', HTMLDialogElement);
  const form = $('#add-organizer-form', HTMLFormElement);
  $('#add-organizer').addEventListener('click', () => {
    form.reset();
    clearErrors(form);
    showMethodFields();
    dialog.showModal();
    $('#add-email').focus();
  });
  for (const r of $$('input[name=method]', form)) {
    r.addEventListener('change', () => {
      clearErrors(form);
      showMethodFields();
    });
  }
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const method = selectedMethod();
    await busy($('#add-organizer-submit', HTMLButtonElement), async () => {
      try {
        if (method === 'oauth') {
          // The authorize endpoint needs the key, so fetch its URL as JSON, then go there.
          /** @type {{ url: string }} */
          const { url } = await api('GET', '/organizers/oauth/authorize?format=json');
          window.location.assign(url);
          return;
        }
        /** @type {Record<string, string>} */
        const body = { email: inputValue('#add-email').trim() };
        if (method === 'password') body.password = inputValue('#add-password');
        else body.personalAccessToken = inputValue('#add-token').trim();
        /** @type {Organizer & { initialSyncJobId: number | null }} */
        const created = await api('POST', '/organizers', body);
        form.reset();
        dialog.close();
        await loadOrganizers();
        notice(`${created.email} was added. Its first sync is running.`, 'ok');
        if (created.initialSyncJobId) void followOrganizerSync(created, created.initialSyncJobId);
      } catch (err) {
        showErrors(form, /** @type {import('./api.js').ApiError} */ (err));
      }
    });
  });
}

/** @param {Organizer} o */
function openOrganizerDialog(o) {
  const form = $('#organizer-form', HTMLFormElement);
  state.editing = o;
  form.reset();
  clearErrors(form);
  $('#organizer-dialog-title').textContent = `Organizer: ${o.email}`;
  $('#organizer-dialog-intro').textContent =
    `Signs in with ${AUTH_METHOD_LABELS[o.authMethod].toLowerCase()}. Change the email or password used for GoTo Webinar.`;
  $('#edit-email', HTMLInputElement).value = o.email;
  // Write-only secrets: a password sign-in can change its password, a token sign-in its token;
  // an OAuth sign-in is renewed by connecting with GoTo again.
  $('#edit-password-field').hidden = o.authMethod !== 'password';
  $('#edit-token-field').hidden = o.authMethod !== 'personal_access_token';
  $('#edit-oauth-help').hidden = o.authMethod !== 'oauth';
  $('#organizer-dialog', HTMLDialogElement).showModal();
  $('#edit-email').focus();
}

function bindOrganizerDialog() {
  const dialog = $('#organizer-dialog', HTMLDialogElement);
  const form = $('#organizer-form', HTMLFormElement);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const o = state.editing;
    if (!o) return;
    /** @type {Record<string, string>} */
    const patch = {};
    const email = inputValue('#edit-email').trim();
    const password = inputValue('#edit-password');
    const token = inputValue('#edit-token').trim();
    if (email !== o.email) patch.email = email;
    if (password) patch.password = password;
    if (token) patch.personalAccessToken = token;
    if (Object.keys(patch).length === 0) {
      $('[data-error-for="*"]', HTMLElement, form).textContent = 'Nothing changed.';
      return;
    }
    await busy($('button[type=submit]', HTMLButtonElement, form), async () => {
      try {
        /** @type {Organizer & { syncJobId: number | null }} */
        const updated = await api('PATCH', `/organizers/${o.id}`, patch);
        form.reset();
        dialog.close();
        replaceOrganizer(updated);
        notice(`Credentials of ${updated.email} saved. A complete sync was queued.`, 'ok');
        if (updated.syncJobId) void followOrganizerSync(updated, updated.syncJobId);
      } catch (err) {
        showErrors(form, /** @type {import('./api.js').ApiError} */ (err));
      }
    });
  });
}

export function bindOrganizerDialogs() {
  bindAddOrganizer();
  bindOrganizerDialog();
  onOrganizerActions(openOrganizerDialog);
  for (const dialog of $$('dialog')) {
    if (!(dialog instanceof HTMLDialogElement)) continue;
    for (const b of $$('[data-close]', dialog)) b.addEventListener('click', () => dialog.close());
  }
}
