// @ts-check
// Webinar Integrations admin page: plain ES modules over the same REST API every client uses.
// This entry signs in and out, loads each section, and handles the return from GoTo's consent page.
import { api, storedKey, storeKey, whenUnauthorized } from './js/api.js';
import { $, busy, clearErrors, notice } from './js/dom.js';
import { bindActivity } from './js/activity.js';
import { bindOrganizerDialogs } from './js/organizer-dialogs.js';
import { oauthOutcome } from './js/oauth-return.js';
import { bindOrganizers, loadOrganizers } from './js/organizers.js';
import { bindRouter, onRoute, showRoute } from './js/router.js';
import { bindSettings, loadSettingsAndFolders } from './js/settings.js';
import { state } from './js/state.js';
import { syncing } from './js/sync-progress.js';
import { bindWebinarPage } from './js/webinar-page.js';
import { bindWebinars, loadWebinars } from './js/webinars.js';

const SESSION_ENDED = 'Your session is no longer valid. Sign in again.';

/** @param {string} key */
async function signIn(key) {
  /** @type {import('./js/api.js').Account} */
  const account = await api('GET', '/account', undefined, key);
  storeKey(key);
  state.account = account;
  $('#account-name').textContent = account.name;
  $('#account-bar').hidden = false;
  $('#sign-in-view').hidden = true;
  $('#app-view').hidden = false;
  await loadAll();
  loaded = true;
  await showRoute();
}

/** Whether the sections of the main view were loaded since the sign-in (the list is reloaded on return). */
let loaded = false;

// Each section loads on its own: one failing endpoint leaves the others usable.
async function loadAll() {
  const results = await Promise.allSettled([loadSettingsAndFolders(), loadOrganizers()]);
  const webinars = await Promise.allSettled([loadWebinars()]);
  const failed = [...results, ...webinars].find((r) => r.status === 'rejected');
  if (failed && state.account) {
    notice(`Part of the page could not be loaded: ${failed.reason.message}`, 'error');
  }
}

/** @param {string} [message] shown under the key field */
function signOut(message) {
  storeKey(null);
  state.account = null;
  loaded = false;
  syncing.clear();
  state.expanded.clear();
  $('#account-bar').hidden = true;
  $('#app-view').hidden = true;
  $('#sign-in-view').hidden = false;
  const form = $('#sign-in-form', HTMLFormElement);
  form.reset();
  clearErrors(form);
  if (message) $('#api-key-error').textContent = message;
  $('#api-key').focus();
}

function bindSignIn() {
  const form = $('#sign-in-form', HTMLFormElement);
  const input = $('#api-key', HTMLInputElement);
  const error = $('#api-key-error');
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const key = input.value.trim();
    if (!key) {
      error.textContent = 'Enter your account API key.';
      input.setAttribute('aria-invalid', 'true');
      return;
    }
    await busy($('button[type=submit]', HTMLButtonElement, form), async () => {
      try {
        await signIn(key);
        input.value = '';
      } catch (err) {
        const e = /** @type {import('./js/api.js').ApiError} */ (err);
        input.setAttribute('aria-invalid', 'true');
        error.textContent = e.status === 401 ? 'That API key is not valid.' : e.message;
      }
    });
  });
  $('#sign-out').addEventListener('click', () => signOut());
  whenUnauthorized(() => {
    if (state.account) signOut(SESSION_ENDED);
  });
}

// Back from GoTo's consent page: the callback redirects to /admin?oauth=connected&organizerId=…
// or /admin?oauth=failed&error=CODE.
async function boot() {
  bindSignIn();
  bindSettings();
  bindOrganizers();
  bindOrganizerDialogs();
  bindWebinars();
  bindWebinarPage();
  bindActivity();
  bindRouter();
  // Back on the main view from another one: the list may have changed meanwhile.
  onRoute('main', () => (loaded ? loadWebinars() : undefined));
  try {
    state.config = await api('GET', '/admin-ui/config', undefined, null);
  } catch {
    // The page still works: dates show in UTC and target group kinds as the API names them.
  }
  const key = storedKey();
  if (!key) return signOut();
  try {
    await signIn(key);
    void oauthOutcome();
  } catch (err) {
    const e = /** @type {import('./js/api.js').ApiError} */ (err);
    signOut(e.status === 401 ? SESSION_ENDED : e.message);
  }
}

void boot();
