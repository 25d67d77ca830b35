// @ts-check
// The Settings card: integration on/off, the target group folder (with New folder), and the
// displayed time zone.
import { api } from './api.js';
import { $, busy, clearErrors, el, showErrors } from './dom.js';
import { renderOrganizers } from './organizers.js';
import { state } from './state.js';
import { loadWebinars } from './webinars.js';

/** @typedef {import('./api.js').Folder} Folder */
/** @typedef {import('./api.js').Settings} Settings */

// The common US zones first, then every IANA zone the browser knows.
const US_ZONES = [
  ['America/New_York', 'Eastern Time'],
  ['America/Chicago', 'Central Time'],
  ['America/Denver', 'Mountain Time'],
  ['America/Phoenix', 'Mountain Time (Arizona)'],
  ['America/Los_Angeles', 'Pacific Time'],
  ['America/Anchorage', 'Alaska Time'],
  ['Pacific/Honolulu', 'Hawaii Time'],
];

export async function loadSettingsAndFolders() {
  /** @type {Promise<Settings>} */
  const settings = api('GET', '/webinar-integration/settings');
  /** @type {Promise<import('./api.js').Page<Folder>>} */
  const folderPage = api('GET', '/target-group-folders?pageSize=200');
  const folders = folderPage.catch(() => null);
  state.settings = await settings;
  state.folders = (await folders)?.items ?? [];
  renderSettings();
}

/** @param {number} selectedId */
function renderFolders(selectedId) {
  const select = $('#settings-folder', HTMLSelectElement);
  select.replaceChildren(
    ...state.folders.map((f) =>
      el('option', { value: f.id, text: f.isDefault ? `${f.name} (default)` : f.name }),
    ),
  );
  select.value = String(selectedId);
}

/** @param {string} current */
function renderTimeZones(current) {
  const select = $('#settings-time-zone', HTMLSelectElement);
  const usIds = new Set(US_ZONES.map(([id]) => id));
  const rest = [...new Set(['UTC', ...Intl.supportedValuesOf('timeZone')])]
    .filter((z) => !usIds.has(z))
    .sort();
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
  if (!known.has(current)) groups.unshift(el('option', { value: current, text: current }));
  select.replaceChildren(...groups);
  select.value = current;
}

function renderSettings() {
  const s = state.settings;
  if (!s) return;
  $('#settings-active', HTMLInputElement).checked = s.active;
  $('#integration-off').hidden = s.active;
  renderFolders(s.targetGroupFolderId);
  renderTimeZones(s.displayedTimeZone);
}

function bindSettingsForm() {
  const form = $('#settings-form', HTMLFormElement);
  const status = $('#settings-status');
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    status.textContent = '';
    const folder = $('#settings-folder', HTMLSelectElement).value;
    /** @type {Partial<Settings>} */
    const patch = {
      active: $('#settings-active', HTMLInputElement).checked,
      displayedTimeZone: $('#settings-time-zone', HTMLSelectElement).value,
    };
    // Empty when the folder list could not be loaded: keep the stored folder then.
    if (folder !== '') patch.targetGroupFolderId = Number(folder);
    await busy($('#settings-save', HTMLButtonElement), async () => {
      try {
        state.settings = await api('PUT', '/webinar-integration/settings', patch);
        renderSettings();
        status.textContent = 'Settings saved.';
        renderOrganizers();
        await loadWebinars();
      } catch (err) {
        showErrors(form, /** @type {import('./api.js').ApiError} */ (err));
      }
    });
  });
}

function bindNewFolder() {
  const panel = $('#new-folder-panel');
  const toggle = $('#new-folder-toggle');
  const name = $('#new-folder-name', HTMLInputElement);
  const error = $('#new-folder-error');
  /** @param {boolean} show */
  const open = (show) => {
    panel.hidden = !show;
    toggle.setAttribute('aria-expanded', String(show));
    if (show) name.focus();
  };
  toggle.addEventListener('click', () => open(panel.hidden));
  $('#new-folder-cancel').addEventListener('click', () => open(false));
  const create = async () => {
    const wanted = name.value.trim();
    error.textContent = '';
    if (!wanted) {
      error.textContent = 'Enter a folder name.';
      return;
    }
    await busy($('#new-folder-create', HTMLButtonElement), async () => {
      try {
        /** @type {Folder} */
        const folder = await api('POST', '/target-group-folders', { name: wanted });
        state.folders = [...state.folders.filter((f) => f.id !== folder.id), folder];
        renderFolders(folder.id);
        name.value = '';
        open(false);
        $('#settings-status').textContent =
          `Folder "${folder.name}" created. Save settings to use it.`;
      } catch (err) {
        const e = /** @type {import('./api.js').ApiError} */ (err);
        error.textContent = e.errors?.find((f) => f.field === 'name')?.message ?? e.message;
      }
    });
  };
  $('#new-folder-create').addEventListener('click', create);
  name.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter') {
      ev.preventDefault();
      void create();
    }
  });
}

export function bindSettings() {
  bindSettingsForm();
  bindNewFolder();
}
