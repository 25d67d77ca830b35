// Webinar Integrations admin page: vanilla JS over the same REST API every client uses.
// The API key lives in sessionStorage only (this tab); no secret is ever rendered back.

const API = '/api/v1';
const KEY_STORAGE = 'webinar-sync.apiKey';
const POLL_MS = 700;
const WEBINAR_PAGE_SIZE = 20;

// Common US zones first (Eastern is the product default), then every IANA zone the browser knows.
const US_ZONES = [
  ['America/New_York', 'Eastern Time'],
  ['America/Chicago', 'Central Time'],
  ['America/Denver', 'Mountain Time'],
  ['America/Phoenix', 'Mountain Time (Arizona)'],
  ['America/Los_Angeles', 'Pacific Time'],
  ['America/Anchorage', 'Alaska Time'],
  ['Pacific/Honolulu', 'Hawaii Time'],
];
const DEFAULT_ZONE = 'America/New_York';

const AUTH_METHODS = {
  password: 'Email & password',
  personal_access_token: 'Access token',
  oauth: 'GoTo (OAuth)',
};

const state = {
  account: null,
  settings: null,
  folders: [],
  organizers: [],
  webinarPage: 1,
  webinarTotal: 0,
  webinarOrganizer: '',
  editing: null,
  syncing: new Map(), // organizerId -> { text, value, max }
  expanded: new Set(), // webinar ids whose target groups are shown
};

const $ = (sel, root = document) => root.querySelector(sel);
const $$ = (sel, root = document) => Array.from(root.querySelectorAll(sel));

// ---------- API ----------

class ApiError extends Error {
  constructor(status, body) {
    super((body && body.message) || `Request failed (${status})`);
    this.status = status;
    this.errors = (body && Array.isArray(body.errors) && body.errors) || [];
    this.code = body && body.code;
  }
}

function apiKey() {
  return sessionStorage.getItem(KEY_STORAGE);
}

async function api(method, path, body, key = apiKey()) {
  const headers = { Accept: 'application/json' };
  if (key) headers.Authorization = `Bearer ${key}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let res;
  try {
    res = await fetch(API + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, {
      message: 'The service could not be reached. Check your connection and try again.',
    });
  }
  const text = await res.text();
  let data = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = { message: text.slice(0, 200) };
    }
  }
  if (res.status === 401 && key === apiKey() && state.account) {
    signOut('Your session is no longer valid. Sign in again.');
  }
  if (!res.ok) throw new ApiError(res.status, data);
  return data;
}

// List endpoints answer {items, page, pageSize, total}; tolerate a bare array too.
const itemsOf = (data) => (Array.isArray(data) ? data : (data && data.items) || []);

// ---------- formatting ----------

function zone() {
  return (state.settings && state.settings.displayedTimeZone) || DEFAULT_ZONE;
}

function formatDate(value) {
  if (!value) return '';
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return String(value);
  try {
    return new Intl.DateTimeFormat('en-US', {
      timeZone: zone(),
      year: 'numeric',
      month: 'short',
      day: 'numeric',
      hour: 'numeric',
      minute: '2-digit',
      timeZoneName: 'short',
    }).format(d);
  } catch {
    return d.toISOString();
  }
}

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') node.className = v;
    else if (k === 'text') node.textContent = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else if (v === true) node.setAttribute(k, '');
    else node.setAttribute(k, String(v));
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

function badge(kind, text) {
  return el('span', { class: `badge badge-${kind}`, text });
}

// ---------- feedback ----------

function clearErrors(form) {
  for (const p of $$('[data-error-for]', form)) p.textContent = '';
  for (const i of $$('[aria-invalid]', form)) i.removeAttribute('aria-invalid');
}

// Put each API error next to the field it names; anything else goes to the form-level slot.
function showErrors(form, err) {
  clearErrors(form);
  const general = $('[data-error-for="*"]', form);
  let placed = false;
  for (const e of err.errors || []) {
    const field = String(e.field || '').split('.')[0];
    const slot = field && $(`[data-error-for="${CSS.escape(field)}"]`, form);
    if (slot) {
      slot.textContent = e.message || 'Invalid value';
      const input = form.querySelector(`[name="${CSS.escape(field)}"]`);
      if (input) input.setAttribute('aria-invalid', 'true');
      placed = true;
    }
  }
  if (!placed && general) general.textContent = err.message;
  else if (!placed) notice(err.message, 'error');
}

let noticeTimer;
function notice(text, kind = 'info') {
  const n = $('#page-notice');
  n.textContent = text;
  n.className = `notice notice-${kind}`;
  n.hidden = false;
  clearTimeout(noticeTimer);
  if (kind !== 'error') noticeTimer = setTimeout(() => (n.hidden = true), 8000);
}

async function busy(button, fn) {
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  try {
    return await fn();
  } finally {
    button.disabled = false;
    button.removeAttribute('aria-busy');
  }
}

// ---------- sign-in ----------

async function signIn(key) {
  const account = await api('GET', '/account', undefined, key);
  sessionStorage.setItem(KEY_STORAGE, key);
  state.account = account;
  $('#account-name').textContent = account.name;
  $('#account-bar').hidden = false;
  $('#sign-in-view').hidden = true;
  $('#app-view').hidden = false;
  await loadAll();
}

// Each section loads on its own: one failing endpoint leaves the others usable.
async function loadAll() {
  const results = await Promise.allSettled([loadSettingsAndFolders(), loadOrganizers()]);
  const webinars = await Promise.allSettled([loadWebinars()]);
  const failed = [...results, ...webinars].find((r) => r.status === 'rejected');
  if (failed && state.account)
    notice(`Part of the page could not be loaded: ${failed.reason.message}`, 'error');
}

function signOut(message) {
  sessionStorage.removeItem(KEY_STORAGE);
  state.account = null;
  state.syncing.clear();
  state.expanded.clear();
  $('#account-bar').hidden = true;
  $('#app-view').hidden = true;
  $('#sign-in-view').hidden = false;
  const form = $('#sign-in-form');
  form.reset();
  clearErrors(form);
  if (message) $('#api-key-error').textContent = message;
  $('#api-key').focus();
}

function bindSignIn() {
  const form = $('#sign-in-form');
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const key = $('#api-key').value.trim();
    if (!key) {
      $('#api-key-error').textContent = 'Enter your account API key.';
      $('#api-key').setAttribute('aria-invalid', 'true');
      return;
    }
    await busy($('button[type=submit]', form), async () => {
      try {
        await signIn(key);
        $('#api-key').value = '';
      } catch (err) {
        $('#api-key').setAttribute('aria-invalid', 'true');
        $('#api-key-error').textContent =
          err.status === 401 ? 'That API key is not valid.' : err.message;
      }
    });
  });
  $('#sign-out').addEventListener('click', () => signOut());
}

// ---------- settings ----------

async function loadSettingsAndFolders() {
  const [settings, folders] = await Promise.all([
    api('GET', '/webinar-integration/settings'),
    api('GET', '/target-group-folders?pageSize=200').catch(() => []),
  ]);
  state.settings = settings;
  state.folders = itemsOf(folders);
  renderSettings();
}

function renderFolders(selectedId) {
  const select = $('#settings-folder');
  const options = state.folders.map((f) =>
    el('option', { value: f.id, text: f.isDefault ? `${f.name} (default)` : f.name }),
  );
  // Before the default folder exists, "none chosen" means the default "Webinars" folder.
  if (selectedId == null) options.unshift(el('option', { value: '', text: 'Webinars (default)' }));
  select.replaceChildren(...options);
  select.value = selectedId == null ? '' : String(selectedId);
}

function renderTimeZones(current) {
  const select = $('#settings-time-zone');
  const usIds = new Set(US_ZONES.map(([id]) => id));
  const all =
    typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  const rest = [...new Set(['UTC', ...all])].filter((z) => !usIds.has(z)).sort();
  const known = new Set([...usIds, ...rest]);
  const groups = [
    el(
      'optgroup',
      { label: 'United States' },
      US_ZONES.map(([id, name]) => el('option', { value: id, text: `${name} (${id})` })),
    ),
    el(
      'optgroup',
      { label: 'All time zones' },
      rest.map((z) => el('option', { value: z, text: z })),
    ),
  ];
  if (current && !known.has(current))
    groups.unshift(el('option', { value: current, text: current }));
  select.replaceChildren(...groups);
  select.value = current || DEFAULT_ZONE;
}

function renderSettings() {
  const s = state.settings;
  $('#settings-active').checked = Boolean(s.active);
  $('#integration-off').hidden = Boolean(s.active);
  renderFolders(s.targetGroupFolderId);
  renderTimeZones(s.displayedTimeZone);
}

function bindSettings() {
  const form = $('#settings-form');
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    $('#settings-status').textContent = '';
    const folder = $('#settings-folder').value;
    const patch = {
      active: $('#settings-active').checked,
      displayedTimeZone: $('#settings-time-zone').value,
    };
    if (folder !== '') patch.targetGroupFolderId = Number(folder);
    await busy($('#settings-save'), async () => {
      try {
        state.settings = await api('PUT', '/webinar-integration/settings', patch);
        renderSettings();
        $('#settings-status').textContent = 'Settings saved.';
        renderOrganizers();
        await loadWebinars();
      } catch (err) {
        showErrors(form, err);
      }
    });
  });

  const panel = $('#new-folder-panel');
  const toggle = $('#new-folder-toggle');
  const open = (show) => {
    panel.hidden = !show;
    toggle.setAttribute('aria-expanded', String(show));
    if (show) $('#new-folder-name').focus();
  };
  toggle.addEventListener('click', () => open(panel.hidden));
  $('#new-folder-cancel').addEventListener('click', () => open(false));
  const create = async () => {
    const name = $('#new-folder-name').value.trim();
    $('#new-folder-error').textContent = '';
    if (!name) {
      $('#new-folder-error').textContent = 'Enter a folder name.';
      return;
    }
    await busy($('#new-folder-create'), async () => {
      try {
        const folder = await api('POST', '/target-group-folders', { name });
        state.folders = [...state.folders.filter((f) => f.id !== folder.id), folder];
        renderFolders(folder.id);
        $('#new-folder-name').value = '';
        open(false);
        $('#settings-status').textContent =
          `Folder "${folder.name}" created. Save settings to use it.`;
      } catch (err) {
        const named = err.errors.find((e) => e.field === 'name');
        $('#new-folder-error').textContent = named ? named.message : err.message;
      }
    });
  };
  $('#new-folder-create').addEventListener('click', create);
  $('#new-folder-name').addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter') {
      ev.preventDefault();
      void create();
    }
  });
}

// ---------- organizers ----------

async function loadOrganizers() {
  state.organizers = itemsOf(await api('GET', '/organizers?pageSize=200'));
  renderOrganizers();
  renderOrganizerFilter();
}

function connectionCell(o) {
  if (!o.active) return badge('muted', 'Deactivated');
  if (o.connectionStatus === 'ok') return badge('ok', 'Connected');
  if (o.connectionStatus === 'error') return badge('error', 'Error');
  return badge('muted', 'Not tested');
}

function syncCell(o) {
  const s = state.syncing.get(o.id);
  if (s) {
    return el(
      'div',
      { class: 'sync-progress' },
      el('progress', {
        max: s.max || undefined,
        value: s.max ? s.value : undefined,
        'aria-label': `Sync progress for ${o.email}`,
      }),
      el('span', { class: 'sync-text', role: 'status', text: s.text }),
    );
  }
  return o.lastSyncedAt
    ? formatDate(o.lastSyncedAt)
    : el('span', { class: 'muted', text: 'Never' });
}

function problemCell(o) {
  const parts = [];
  if (!o.active && o.deactivatedReason)
    parts.push(
      el('div', { class: 'reason' }, el('strong', { text: 'Deactivated: ' }), o.deactivatedReason),
    );
  if (o.lastError && !(!o.active && o.lastError === o.deactivatedReason)) {
    parts.push(el('div', { class: 'error-text', text: o.lastError }));
  }
  return parts.length ? parts : el('span', { class: 'muted', text: '—' });
}

function renderOrganizers() {
  const body = $('#organizers-body');
  const rows = state.organizers.map((o) => {
    const toggle = el('input', {
      type: 'checkbox',
      role: 'switch',
      checked: Boolean(o.active),
      'aria-label': `Active: ${o.email}`,
      onchange: (ev) => setActive(o, ev.target),
    });
    const syncing = state.syncing.has(o.id);
    return el(
      'tr',
      { 'data-organizer-id': o.id, class: o.active ? '' : 'inactive' },
      el('td', { class: 'email' }, o.email),
      el('td', { class: 'method' }, AUTH_METHODS[o.authMethod] || o.authMethod || ''),
      el(
        'td',
        {},
        el(
          'label',
          { class: 'switch switch-sm' },
          toggle,
          el('span', { class: 'switch-track', 'aria-hidden': 'true' }),
        ),
      ),
      el('td', {}, connectionCell(o)),
      el('td', { class: 'sync-cell' }, syncCell(o)),
      el('td', { class: 'problem' }, problemCell(o)),
      el(
        'td',
        { class: 'row-actions' },
        el('button', {
          type: 'button',
          class: 'btn btn-sm',
          disabled: !o.active || syncing,
          'aria-label': `Sync now: ${o.email}`,
          text: 'Sync now',
          onclick: (ev) => syncOrganizer(o, ev.currentTarget),
        }),
        el('button', {
          type: 'button',
          class: 'btn btn-sm',
          'aria-haspopup': 'dialog',
          'aria-label': `Actions: ${o.email}`,
          text: 'Actions',
          onclick: () => openOrganizerDialog(o),
        }),
      ),
    );
  });
  body.replaceChildren(...rows);
  $('#organizers-empty').hidden = rows.length > 0;
  $('#organizers-table').hidden = rows.length === 0;
}

function replaceOrganizer(updated) {
  state.organizers = state.organizers.map((o) => (o.id === updated.id ? { ...o, ...updated } : o));
  renderOrganizers();
}

async function setActive(o, input) {
  input.disabled = true;
  try {
    const updated = await api('PATCH', `/organizers/${o.id}`, { active: input.checked });
    replaceOrganizer(updated);
    notice(
      updated.active
        ? `${updated.email} is active again; a sync was queued.`
        : `${updated.email} was deactivated. Its target groups are kept.`,
    );
    if (updated.active && updated.syncJobId) void followJob(updated, updated.syncJobId);
  } catch (err) {
    input.checked = !input.checked;
    input.disabled = false;
    notice(`Could not change ${o.email}: ${err.message}`, 'error');
  }
}

async function testConnection(button) {
  const box = $('#test-results');
  await busy(button, async () => {
    box.hidden = false;
    box.replaceChildren(el('p', { class: 'muted', text: 'Testing each active organizer…' }));
    try {
      const res = await api('POST', '/webinar-integration/test-connection');
      await loadOrganizers();
      const byId = new Map(state.organizers.map((o) => [o.id, o]));
      const results = (res && res.results) || [];
      const items = results.map((r) => {
        const who = (byId.get(r.organizerId) || {}).email || `Organizer ${r.organizerId}`;
        const status = r.ok
          ? badge('ok', 'OK')
          : r.deactivated
            ? badge('error', 'Deactivated')
            : badge('warn', 'Failed');
        return el(
          'li',
          { 'data-organizer-id': r.organizerId },
          status,
          ' ',
          el('span', { class: 'email', text: who }),
          r.error ? el('span', { class: 'muted', text: ` — ${r.error}` }) : null,
        );
      });
      box.replaceChildren(
        el(
          'div',
          { class: 'test-head' },
          el('strong', { text: 'Test Connection' }),
          el('span', {
            class: 'muted',
            text: results.length
              ? ` ${results.filter((r) => r.ok).length} of ${results.length} organizers OK`
              : ' No active organizers to test.',
          }),
          el('button', {
            type: 'button',
            class: 'btn btn-quiet btn-sm',
            text: 'Dismiss',
            onclick: () => (box.hidden = true),
          }),
        ),
        items.length ? el('ul', { class: 'result-list' }, items) : null,
      );
    } catch (err) {
      box.replaceChildren(
        el('p', { class: 'error-text', text: `Test Connection failed: ${err.message}` }),
      );
    }
  });
}

// ---------- add organizer ----------

function selectedMethod() {
  return $('#add-organizer-form input[name=method]:checked').value;
}

function showMethodFields() {
  const method = selectedMethod();
  for (const node of $$('#add-organizer-form [data-method]'))
    node.hidden = !node.dataset.method.split(' ').includes(method);
  $('#add-organizer-submit').textContent =
    method === 'oauth' ? 'Connect with GoTo' : 'Add organizer';
}

function bindAddOrganizer() {
  const dialog = $('#add-organizer-dialog');
  const form = $('#add-organizer-form');
  $('#add-organizer').addEventListener('click', () => {
    form.reset();
    clearErrors(form);
    showMethodFields();
    dialog.showModal();
    $('#add-email').focus();
  });
  for (const r of $$('input[name=method]', form))
    r.addEventListener('change', () => {
      clearErrors(form);
      showMethodFields();
    });
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const method = selectedMethod();
    await busy($('#add-organizer-submit'), async () => {
      try {
        if (method === 'oauth') {
          // The authorize endpoint needs the key, so fetch its URL as JSON, then go there.
          const { url } = await api('GET', '/organizers/oauth/authorize?format=json');
          window.location.assign(url);
          return;
        }
        const body = { email: $('#add-email').value.trim() };
        if (method === 'password') body.password = $('#add-password').value;
        else body.personalAccessToken = $('#add-token').value.trim();
        const created = await api('POST', '/organizers', body);
        form.reset();
        dialog.close();
        await loadOrganizers();
        notice(`${created.email} was added. Its first sync is running.`, 'ok');
        const jobId = created.initialSyncJobId || created.syncJobId;
        if (jobId) void followJob(created, jobId);
      } catch (err) {
        showErrors(form, err);
      }
    });
  });
}

// ---------- organizer actions pop-up ----------

function openOrganizerDialog(o) {
  const dialog = $('#organizer-dialog');
  const form = $('#organizer-form');
  state.editing = o;
  form.reset();
  clearErrors(form);
  $('#organizer-dialog-title').textContent = `Organizer: ${o.email}`;
  $('#organizer-dialog-intro').textContent =
    `Signs in with ${(AUTH_METHODS[o.authMethod] || o.authMethod || '').toLowerCase()}. Change the email or password used for GoTo Webinar.`;
  $('#edit-email').value = o.email;
  // Write-only secrets: a password sign-in can change its password, a token sign-in its token;
  // an OAuth sign-in is renewed by connecting with GoTo again.
  $('#edit-password-field').hidden = o.authMethod !== 'password';
  $('#edit-token-field').hidden = o.authMethod !== 'personal_access_token';
  $('#edit-oauth-help').hidden = o.authMethod !== 'oauth';
  dialog.showModal();
  $('#edit-email').focus();
}

function bindOrganizerDialog() {
  const dialog = $('#organizer-dialog');
  const form = $('#organizer-form');
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const o = state.editing;
    const patch = {};
    const email = $('#edit-email').value.trim();
    const password = $('#edit-password').value;
    if (email !== o.email) patch.email = email;
    if (password) patch.password = password;
    const token = $('#edit-token').value.trim();
    if (token) patch.personalAccessToken = token;
    if (Object.keys(patch).length === 0) {
      $('[data-error-for="*"]', form).textContent = 'Nothing changed.';
      return;
    }
    await busy($('button[type=submit]', form), async () => {
      try {
        const updated = await api('PATCH', `/organizers/${o.id}`, patch);
        form.reset();
        dialog.close();
        replaceOrganizer(updated);
        notice(`Credentials of ${updated.email} saved. A complete sync was queued.`, 'ok');
        const jobId = updated.syncJobId || updated.initialSyncJobId;
        if (jobId) void followJob(updated, jobId);
      } catch (err) {
        showErrors(form, err);
      }
    });
  });
}

// ---------- sync jobs with live progress ----------

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const PHASES = {
  webinars: 'Importing webinars',
  'queueing participants': 'Queueing participant syncs',
  fetching: 'Fetching participants',
  done: 'Done',
};

function describeProgress(job) {
  const p = job.progress || {};
  const total = Number(p.webinarsTotal ?? p.total ?? 0) || 0;
  const done = Number(p.webinarsDone ?? p.done ?? 0) || 0;
  const phase = PHASES[p.phase] || p.phase || '';
  if (job.status === 'queued') return { text: 'Queued…' };
  if (total > 0)
    return {
      text: `${phase || 'Webinars'}: ${Math.min(done, total)} of ${total}`,
      value: Math.min(done, total),
      max: total,
    };
  if (done > 0) return { text: `${phase || 'Webinars'}: ${done} so far` };
  return { text: phase ? `${phase}…` : 'Running…' };
}

// Follow a job, then the jobs it chained for the same organizer, until none is queued or running.
async function followJob(o, jobId) {
  if (state.syncing.has(o.id) && state.syncing.get(o.id).jobId !== jobId) return;
  state.syncing.set(o.id, { jobId, text: 'Queued…' });
  renderOrganizers();
  let failed = null;
  try {
    for (;;) {
      if (!state.account) return;
      const job = await api('GET', `/sync-jobs/${jobId}`);
      if (job.status === 'succeeded' || job.status === 'failed') {
        if (job.status === 'failed') failed = job.lastError || 'The sync failed.';
        break;
      }
      state.syncing.set(o.id, { jobId, ...describeProgress(job) });
      renderOrganizers();
      await sleep(POLL_MS);
    }
    if (!failed) await followChain(o, jobId);
  } catch (err) {
    failed = err.message;
  } finally {
    state.syncing.delete(o.id);
  }
  try {
    await loadOrganizers();
    await loadWebinars();
  } catch {
    // the list refresh is best effort; the next action reloads it
  }
  if (failed) notice(`Sync of ${o.email} failed: ${failed}`, 'error');
  else notice(`Sync of ${o.email} finished.`, 'ok');
}

async function openJobs(organizerId) {
  const [queued, running] = await Promise.all(
    ['queued', 'running'].map((s) =>
      api('GET', `/sync-jobs?organizerId=${organizerId}&status=${s}&pageSize=1`),
    ),
  );
  const total = (d) => (d && typeof d.total === 'number' ? d.total : itemsOf(d).length);
  return { open: total(queued) + total(running) };
}

async function followChain(o, jobId) {
  let peak = 0;
  for (;;) {
    if (!state.account) return;
    let open;
    try {
      ({ open } = await openJobs(o.id));
    } catch {
      return; // no job listing: the first job is all we can follow
    }
    if (open === 0) return;
    peak = Math.max(peak, open);
    state.syncing.set(o.id, {
      jobId,
      text: `Syncing participants: ${peak - open} of ${peak} webinars`,
      value: peak - open,
      max: peak,
    });
    renderOrganizers();
    await sleep(POLL_MS);
  }
}

async function syncOrganizer(o, button) {
  button.disabled = true;
  try {
    const { jobId } = await api('POST', `/organizers/${o.id}/sync`);
    await followJob(o, jobId);
  } catch (err) {
    notice(`Could not start a sync of ${o.email}: ${err.message}`, 'error');
    renderOrganizers();
  }
}

// ---------- webinars ----------

function renderOrganizerFilter() {
  const select = $('#webinars-organizer');
  const current = state.webinarOrganizer;
  select.replaceChildren(
    el('option', { value: '', text: 'All organizers' }),
    ...state.organizers.map((o) => el('option', { value: o.id, text: o.email })),
  );
  select.value = current;
}

function organizerEmail(w) {
  if (w.organizer && w.organizer.email) return w.organizer.email;
  if (w.organizerEmail) return w.organizerEmail;
  const o = state.organizers.find((x) => x.id === w.organizerId);
  return o ? o.email : '';
}

function countsOf(w) {
  const c = w.counts || w;
  const n = (v) => (typeof v === 'number' ? v : '');
  return [n(c.registered), n(c.attended), n(c.notAttended)];
}

async function loadWebinars() {
  const qs = new URLSearchParams({
    page: String(state.webinarPage),
    pageSize: String(WEBINAR_PAGE_SIZE),
  });
  if (state.webinarOrganizer) qs.set('organizerId', state.webinarOrganizer);
  let data;
  try {
    data = await api('GET', `/webinars?${qs}`);
  } catch (err) {
    $('#webinars-body').replaceChildren();
    $('#webinars-empty').hidden = false;
    $('#webinars-empty').textContent = `Webinars could not be loaded: ${err.message}`;
    return;
  }
  let items = itemsOf(data);
  state.webinarTotal = typeof data.total === 'number' ? data.total : items.length;
  // The list may come without counts: fetch each webinar's detail (one page at a time).
  if (items.some((w) => !w.counts && typeof w.registered !== 'number')) {
    items = await Promise.all(items.map((w) => api('GET', `/webinars/${w.id}`).catch(() => w)));
  }
  renderWebinars(items);
}

function renderWebinars(items) {
  const rows = [];
  for (const w of items) {
    const [registered, attended, notAttended] = countsOf(w);
    const groupsRow = el(
      'tr',
      { class: 'groups-row', hidden: true, id: `groups-${w.id}` },
      el('td', { colspan: 7 }, el('div', { class: 'groups', text: 'Loading…' })),
    );
    const toggle = el('button', {
      type: 'button',
      class: 'btn-link',
      'aria-expanded': 'false',
      'aria-controls': `groups-${w.id}`,
      'aria-label': `Target groups: ${w.subject}`,
      text: 'Target groups',
      onclick: (ev) => toggleGroups(w, ev.currentTarget, groupsRow),
    });
    const statusBadge = w.status === 'cancelled' ? badge('muted', 'Cancelled') : null;
    const who = organizerEmail(w);
    rows.push(
      el(
        'tr',
        { 'data-webinar-id': w.id },
        el(
          'td',
          { class: 'subject' },
          el(
            'div',
            { class: 'subject-line' },
            el('span', { class: 'subject-text', text: w.subject }),
            statusBadge,
          ),
          el(
            'div',
            { class: 'sub' },
            who
              ? el(
                  'span',
                  { class: 'muted' },
                  el('span', { class: 'visually-hidden', text: 'Organizer: ' }),
                  who,
                )
              : null,
            toggle,
          ),
        ),
        el('td', { class: 'nowrap' }, formatDate(w.startsAt)),
        el('td', { class: 'num' }, registered),
        el('td', { class: 'num' }, attended),
        el('td', { class: 'num' }, notAttended),
        el(
          'td',
          { class: 'nowrap' },
          w.participantsSyncedAt
            ? formatDate(w.participantsSyncedAt)
            : el('span', { class: 'muted', text: 'Never' }),
        ),
        el(
          'td',
          { class: 'row-actions' },
          el('button', {
            type: 'button',
            class: 'btn btn-sm',
            'aria-label': `Sync participants: ${w.subject}`,
            text: 'Sync participants',
            onclick: (ev) => syncWebinar(w, ev.currentTarget),
          }),
        ),
      ),
      groupsRow,
    );
  }
  $('#webinars-body').replaceChildren(...rows);
  // Keep open what was open before a reload of the list.
  for (const w of items) {
    if (!state.expanded.has(w.id)) continue;
    const button = $(`#webinars-body tr[data-webinar-id="${w.id}"] .btn-link`);
    if (button) void toggleGroups(w, button, $(`#groups-${w.id}`), true);
  }
  $('#webinars-empty').hidden = items.length > 0;
  $('#webinars-table').hidden = items.length === 0;
  $('#webinars-empty').textContent =
    "No webinars yet. They appear after an organizer's first sync.";
  const pages = Math.max(1, Math.ceil(state.webinarTotal / WEBINAR_PAGE_SIZE));
  $('#webinars-page-info').textContent = state.webinarTotal
    ? `Page ${state.webinarPage} of ${pages} · ${state.webinarTotal} webinars`
    : '';
  $('#webinars-prev').disabled = state.webinarPage <= 1;
  $('#webinars-next').disabled = state.webinarPage >= pages;
  $('#webinars-pager').hidden = state.webinarTotal <= WEBINAR_PAGE_SIZE;
}

const KIND_LABELS = {
  registered: 'Registered',
  attended: 'Attended',
  not_attended: 'Not Attended',
};

async function toggleGroups(w, button, row, forceOpen = false) {
  const open = forceOpen || button.getAttribute('aria-expanded') !== 'true';
  button.setAttribute('aria-expanded', String(open));
  row.hidden = !open;
  if (open) state.expanded.add(w.id);
  else state.expanded.delete(w.id);
  if (!open) return;
  const box = $('.groups', row);
  try {
    const groups = itemsOf(await api('GET', `/target-groups?webinarId=${w.id}`));
    const folderName = (id) => (state.folders.find((f) => f.id === id) || {}).name;
    box.replaceChildren(
      groups.length
        ? el(
            'ul',
            { class: 'group-list' },
            groups.map((g) =>
              el(
                'li',
                {},
                badge('info', KIND_LABELS[g.kind] || g.kind),
                ' ',
                el('span', { text: g.name }),
                typeof g.memberCount === 'number'
                  ? el('span', { class: 'muted', text: ` · ${g.memberCount} members` })
                  : null,
                folderName(g.folderId)
                  ? el('span', { class: 'muted', text: ` · in ${folderName(g.folderId)}` })
                  : null,
              ),
            ),
          )
        : el('span', { class: 'muted', text: 'No target groups yet.' }),
    );
  } catch (err) {
    box.replaceChildren(el('span', { class: 'error-text', text: err.message }));
  }
}

async function syncWebinar(w, button) {
  const original = button.textContent;
  button.disabled = true;
  try {
    const { jobId } = await api('POST', `/webinars/${w.id}/sync`);
    for (;;) {
      const job = await api('GET', `/sync-jobs/${jobId}`);
      button.textContent = job.status === 'queued' ? 'Queued…' : 'Syncing…';
      if (job.status === 'failed') throw new Error(job.lastError || 'The sync failed.');
      if (job.status === 'succeeded') break;
      await sleep(POLL_MS);
    }
    notice(`Participants of "${w.subject}" synced.`, 'ok');
    await loadWebinars();
  } catch (err) {
    notice(`Sync of "${w.subject}" failed: ${err.message}`, 'error');
    button.textContent = original;
    button.disabled = false;
  }
}

function bindWebinars() {
  $('#webinars-organizer').addEventListener('change', (ev) => {
    state.webinarOrganizer = ev.target.value;
    state.webinarPage = 1;
    void loadWebinars();
  });
  $('#webinars-refresh').addEventListener('click', (ev) => busy(ev.currentTarget, loadWebinars));
  $('#webinars-prev').addEventListener('click', () => {
    state.webinarPage = Math.max(1, state.webinarPage - 1);
    void loadWebinars();
  });
  $('#webinars-next').addEventListener('click', () => {
    state.webinarPage += 1;
    void loadWebinars();
  });
}

// ---------- boot ----------

function bindDialogs() {
  for (const dialog of $$('dialog')) {
    for (const b of $$('[data-close]', dialog)) b.addEventListener('click', () => dialog.close());
  }
}

// Back from GoTo's consent page: the callback redirects to /admin?oauth=confirm&link=… (the GoTo
// user is shown and linked only once confirmed here) or /admin?oauth=failed&error=CODE.
async function oauthOutcome() {
  const params = new URLSearchParams(window.location.search);
  const outcome = params.get('oauth');
  if (!outcome) return;
  history.replaceState(null, '', window.location.pathname);
  if (outcome !== 'confirm' || !params.get('link')) {
    notice(
      `Connecting with GoTo failed (${params.get('error') || 'unknown error'}). Try again.`,
      'error',
    );
    return;
  }
  const path = `/organizers/oauth/links/${encodeURIComponent(params.get('link'))}`;
  let pending;
  try {
    pending = await api('GET', path);
  } catch (err) {
    notice(`Connecting with GoTo failed (${err.code || err.message}). Try again.`, 'error');
    return;
  }
  const created = await confirmOAuthLink(path, pending);
  if (created) await connected(created);
}

// Resolves with the linked organizer, or null when the user cancels.
function confirmOAuthLink(path, pending) {
  const dialog = $('#oauth-confirm-dialog');
  const form = $('#oauth-confirm-form');
  const who = pending.displayName ? `${pending.displayName} (${pending.email})` : pending.email;
  $('#oauth-confirm-user').textContent = `GoTo user: ${who || pending.organizerKey}`;
  $('#oauth-confirm-note').textContent = pending.existingOrganizerId
    ? 'This organizer is already linked: it will be reconnected with GoTo.'
    : 'It will be added as an organizer of this account and its complete sync queued.';
  clearErrors(form);
  return new Promise((resolve) => {
    const done = (value) => {
      form.removeEventListener('submit', onSubmit);
      $('#oauth-confirm-cancel').removeEventListener('click', onCancel);
      dialog.removeEventListener('cancel', onCancel);
      dialog.close();
      resolve(value);
    };
    const onCancel = (ev) => {
      ev.preventDefault();
      void api('DELETE', path).catch(() => undefined);
      notice('The GoTo user was not linked.', 'info');
      done(null);
    };
    const onSubmit = async (ev) => {
      ev.preventDefault();
      clearErrors(form);
      await busy($('#oauth-confirm-submit'), async () => {
        try {
          done(await api('POST', `${path}/confirm`));
        } catch (err) {
          showErrors(form, err);
        }
      });
    };
    form.addEventListener('submit', onSubmit);
    $('#oauth-confirm-cancel').addEventListener('click', onCancel);
    dialog.addEventListener('cancel', onCancel);
    dialog.showModal();
  });
}

async function connected(created) {
  await loadOrganizers().catch(() => undefined);
  const o = state.organizers.find((x) => x.id === created.id) || created;
  notice(`${o.email} was connected with GoTo. Its complete sync is queued.`, 'ok');
  state.syncing.set(o.id, { jobId: null, text: 'Queued…' });
  renderOrganizers();
  try {
    await followChain(o, created.syncJobId || null);
  } finally {
    state.syncing.delete(o.id);
    await loadOrganizers().catch(() => undefined);
    await loadWebinars().catch(() => undefined);
  }
  notice(`Sync of ${o.email} finished.`, 'ok');
}

async function boot() {
  bindSignIn();
  bindSettings();
  bindAddOrganizer();
  bindOrganizerDialog();
  bindWebinars();
  bindDialogs();
  $('#test-connection').addEventListener('click', (ev) => testConnection(ev.currentTarget));
  const key = apiKey();
  if (key) {
    try {
      await signIn(key);
      void oauthOutcome();
      return;
    } catch (err) {
      signOut(err.status === 401 ? 'Your session is no longer valid. Sign in again.' : err.message);
      return;
    }
  }
  signOut();
}

void boot();
