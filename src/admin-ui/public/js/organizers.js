// @ts-check
// The Organizers card: the list with each organizer's state and live sync progress, its Active
// switch and Sync now button, and Test Connection.
import { api } from './api.js';
import { $, badge, busy, el, notice } from './dom.js';
import { AUTH_METHOD_LABELS, formatDate } from './format.js';
import { state } from './state.js';
import { followChain, followSync, syncing } from './sync-progress.js';
import { loadWebinars, renderOrganizerFilter } from './webinars.js';

/** @typedef {import('./api.js').Organizer} Organizer */

/** @type {(o: Organizer) => void} */
let openActions = () => undefined;

/**
 * What the Actions button of a row opens (the organizer dialog, bound by its own module).
 * @param {(o: Organizer) => void} open
 */
export function onOrganizerActions(open) {
  openActions = open;
}

export async function loadOrganizers() {
  /** @type {import('./api.js').Page<Organizer>} */
  const page = await api('GET', '/organizers?pageSize=200');
  state.organizers = page.items;
  renderOrganizers();
  renderOrganizerFilter();
}

/** @param {Organizer} o */
function connectionCell(o) {
  if (!o.active) return badge('muted', 'Deactivated');
  if (o.connectionStatus === 'ok') return badge('ok', 'Connected');
  if (o.connectionStatus === 'error') return badge('error', 'Error');
  return badge('muted', 'Not tested');
}

/** @param {Organizer} o */
function syncCell(o) {
  const s = syncing.get(o.id);
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

/** @param {Organizer} o */
function problemCell(o) {
  const parts = [];
  if (!o.active && o.deactivatedReason) {
    parts.push(
      el('div', { class: 'reason' }, el('strong', { text: 'Deactivated: ' }), o.deactivatedReason),
    );
  }
  if (o.lastError && !(!o.active && o.lastError === o.deactivatedReason)) {
    parts.push(el('div', { class: 'error-text', text: o.lastError }));
  }
  return parts.length ? parts : el('span', { class: 'muted', text: '—' });
}

/** @param {Organizer} o */
function organizerRow(o) {
  const toggle = el('input', {
    type: 'checkbox',
    role: 'switch',
    checked: o.active,
    'aria-label': `Active: ${o.email}`,
  });
  toggle.addEventListener('change', () => setActive(o, toggle));
  const syncNow = el('button', {
    type: 'button',
    class: 'btn btn-sm',
    disabled: !o.active || syncing.has(o.id),
    'aria-label': `Sync now: ${o.email}`,
    text: 'Sync now',
  });
  syncNow.addEventListener('click', () => syncOrganizer(o, syncNow));
  const actions = el('button', {
    type: 'button',
    class: 'btn btn-sm',
    'aria-haspopup': 'dialog',
    'aria-label': `Actions: ${o.email}`,
    text: 'Actions',
  });
  actions.addEventListener('click', () => openActions(o));
  return el(
    'tr',
    { 'data-organizer-id': o.id, class: o.active ? '' : 'inactive' },
    el('td', { class: 'email' }, o.email),
    el('td', { class: 'method' }, AUTH_METHOD_LABELS[o.authMethod] ?? o.authMethod),
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
    el('td', { class: 'row-actions' }, syncNow, actions),
  );
}

export function renderOrganizers() {
  const rows = state.organizers.map(organizerRow);
  $('#organizers-body').replaceChildren(...rows);
  $('#organizers-empty').hidden = rows.length > 0;
  $('#organizers-table').hidden = rows.length === 0;
}

/** @param {Organizer} updated */
export function replaceOrganizer(updated) {
  state.organizers = state.organizers.map((o) => (o.id === updated.id ? { ...o, ...updated } : o));
  renderOrganizers();
}

/** Reloads both lists after a sync; best effort, the next action reloads them anyway. */
async function refreshLists() {
  await loadOrganizers().catch(() => undefined);
  await loadWebinars().catch(() => undefined);
}

/**
 * Shows an organizer's sync in its row until the job and the jobs it chained end, then says how
 * it went. A row already following another job keeps that one.
 * @param {Organizer} o
 * @param {number} jobId
 */
export async function followOrganizerSync(o, jobId) {
  const current = syncing.get(o.id);
  if (current && current.jobId !== jobId) return;
  const outcome = await followSync(o.id, jobId, renderOrganizers);
  if (!outcome) return;
  await refreshLists();
  if (outcome.failed) notice(`Sync of ${o.email} failed: ${outcome.failed}`, 'error');
  else notice(`Sync of ${o.email} finished.`, 'ok');
}

/**
 * An organizer linked through GoTo's consent page: its complete sync was queued by the callback,
 * so only the jobs of the organizer can be followed.
 * @param {Organizer} o
 */
export async function followConnectedOrganizer(o) {
  syncing.set(o.id, { jobId: null, text: 'Queued…' });
  renderOrganizers();
  try {
    await followChain(o.id, null, renderOrganizers);
  } finally {
    syncing.delete(o.id);
    await refreshLists();
  }
  notice(`Sync of ${o.email} finished.`, 'ok');
}

/**
 * @param {Organizer} o
 * @param {HTMLInputElement} input
 */
async function setActive(o, input) {
  input.disabled = true;
  try {
    /** @type {Organizer & { syncJobId: number | null }} */
    const updated = await api('PATCH', `/organizers/${o.id}`, { active: input.checked });
    replaceOrganizer(updated);
    notice(
      updated.active
        ? `${updated.email} is active again; a sync was queued.`
        : `${updated.email} was deactivated. Its target groups are kept.`,
    );
    if (updated.active && updated.syncJobId) void followOrganizerSync(updated, updated.syncJobId);
  } catch (err) {
    input.checked = !input.checked;
    input.disabled = false;
    notice(`Could not change ${o.email}: ${/** @type {Error} */ (err).message}`, 'error');
  }
}

/**
 * @param {Organizer} o
 * @param {HTMLButtonElement} button
 */
async function syncOrganizer(o, button) {
  button.disabled = true;
  try {
    /** @type {{ jobId: number }} */
    const { jobId } = await api('POST', `/organizers/${o.id}/sync`);
    await followOrganizerSync(o, jobId);
  } catch (err) {
    notice(`Could not start a sync of ${o.email}: ${/** @type {Error} */ (err).message}`, 'error');
    renderOrganizers();
  }
}

/** @param {HTMLButtonElement} button */
async function testConnection(button) {
  const box = $('#test-results');
  await busy(button, async () => {
    box.hidden = false;
    box.replaceChildren(el('p', { class: 'muted', text: 'Testing each active organizer…' }));
    try {
      /** @type {{ results: import('./api.js').TestResult[] }} */
      const { results } = await api('POST', '/webinar-integration/test-connection');
      await loadOrganizers();
      const byId = new Map(state.organizers.map((o) => [o.id, o]));
      const items = results.map((r) => {
        const who = byId.get(r.organizerId)?.email ?? `Organizer ${r.organizerId}`;
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
          r.error && el('span', { class: 'muted', text: ` — ${r.error}` }),
        );
      });
      const summary = results.length
        ? ` ${results.filter((r) => r.ok).length} of ${results.length} organizers OK`
        : ' No active organizers to test.';
      const dismiss = el('button', {
        type: 'button',
        class: 'btn btn-quiet btn-sm',
        text: 'Dismiss',
      });
      dismiss.addEventListener('click', () => (box.hidden = true));
      box.replaceChildren(
        el(
          'div',
          { class: 'test-head' },
          el('strong', { text: 'Test Connection' }),
          el('span', { class: 'muted', text: summary }),
          dismiss,
        ),
        ...(items.length > 0 ? [el('ul', { class: 'result-list' }, items)] : []),
      );
    } catch (err) {
      box.replaceChildren(
        el('p', {
          class: 'error-text',
          text: `Test Connection failed: ${/** @type {Error} */ (err).message}`,
        }),
      );
    }
  });
}

export function bindOrganizers() {
  const test = $('#test-connection', HTMLButtonElement);
  test.addEventListener('click', () => testConnection(test));
}
