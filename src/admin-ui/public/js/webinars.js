// @ts-check
// The Webinars card: the paged list with participant counts, each webinar's target groups, and
// its participant sync on demand; the subject opens the webinar page.
import { api } from './api.js';
import { $, badge, busy, el } from './dom.js';
import { formatDate } from './format.js';
import { latestLoad } from './latest-load.js';
import { state } from './state.js';
import { reconciliationLine, syncWebinar } from './webinar-sync.js';

/** @typedef {import('./api.js').Webinar} Webinar */
/** @typedef {import('./api.js').WebinarDetail} WebinarDetail */
/** @typedef {import('./api.js').TargetGroup} TargetGroup */

const WEBINAR_PAGE_SIZE = 20;

export function renderOrganizerFilter() {
  const select = $('#webinars-organizer', HTMLSelectElement);
  const current = state.webinarOrganizer;
  select.replaceChildren(
    el('option', { value: '', text: 'All organizers' }),
    ...state.organizers.map((o) => el('option', { value: o.id, text: o.email })),
  );
  select.value = current;
}

/** @param {Webinar} w */
function organizerEmail(w) {
  return state.organizers.find((o) => o.id === w.organizerId)?.email ?? '';
}

/** @param {Webinar} w */
export function isUpcoming(w) {
  return w.status === 'scheduled' && Date.parse(w.startsAt) > Date.now();
}

/**
 * Attendance means nothing before a webinar is held: an upcoming one shows "upcoming" there.
 * @param {Webinar | WebinarDetail} w
 */
function countsOf(w) {
  if (!('counts' in w)) return ['', '', ''];
  if (isUpcoming(w)) {
    const upcoming = () => el('span', { class: 'muted', text: 'upcoming' });
    return [w.counts.registered, upcoming(), upcoming()];
  }
  return [w.counts.registered, w.counts.attended, w.counts.notAttended];
}

/** A search typed quickly or a page turned twice: only the latest answer is shown. */
const beginListLoad = latestLoad();

export async function loadWebinars() {
  const isCurrent = beginListLoad();
  const qs = new URLSearchParams({
    page: String(state.webinarPage),
    pageSize: String(WEBINAR_PAGE_SIZE),
    // Upcoming and newest first.
    order: 'desc',
  });
  if (state.webinarSearch) qs.set('search', state.webinarSearch);
  if (state.webinarOrganizer) qs.set('organizerId', state.webinarOrganizer);
  const empty = $('#webinars-empty');
  /** @type {import('./api.js').Page<Webinar>} */
  let page;
  try {
    page = await api('GET', `/webinars?${qs}`);
  } catch (err) {
    if (!isCurrent()) return;
    $('#webinars-body').replaceChildren();
    empty.hidden = false;
    empty.textContent = `Webinars could not be loaded: ${/** @type {Error} */ (err).message}`;
    return;
  }
  if (!isCurrent()) return;
  state.webinarTotal = page.total;
  // The list carries no counts: each webinar's detail does (one page of them at a time).
  /** @type {Array<Webinar | WebinarDetail>} */
  const items = await Promise.all(
    page.items.map((w) =>
      api('GET', `/webinars/${w.id}`).then(
        (d) => /** @type {WebinarDetail} */ (d),
        () => w,
      ),
    ),
  );
  if (isCurrent()) renderWebinars(items);
}

/** @param {Array<Webinar | WebinarDetail>} items */
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
    });
    toggle.addEventListener('click', () => toggleGroups(w, toggle, groupsRow));
    const sync = el('button', {
      type: 'button',
      class: 'btn btn-sm',
      'aria-label': `Sync participants: ${w.subject}`,
      text: 'Sync participants',
    });
    sync.addEventListener('click', () => syncWebinar(w, sync, loadWebinars));
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
            el('a', {
              class: 'subject-text',
              href: `/admin/webinars/${w.id}`,
              'data-nav': 'webinar',
              text: w.subject,
            }),
            w.status === 'cancelled' && badge('muted', 'Cancelled'),
          ),
          el(
            'div',
            { class: 'sub' },
            who &&
              el(
                'span',
                { class: 'muted' },
                el('span', { class: 'visually-hidden', text: 'Organizer: ' }),
                who,
              ),
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
        el('td', { class: 'row-actions' }, sync),
      ),
      groupsRow,
    );
  }
  const body = $('#webinars-body');
  body.replaceChildren(...rows);
  // Keep open what was open before a reload of the list.
  for (const w of items) {
    if (!state.expanded.has(w.id)) continue;
    const button = body.querySelector(`tr[data-webinar-id="${w.id}"] .btn-link`);
    const row = body.querySelector(`#groups-${w.id}`);
    if (button instanceof HTMLElement && row instanceof HTMLElement) {
      void toggleGroups(w, button, row, true);
    }
  }
  const empty = $('#webinars-empty');
  empty.hidden = items.length > 0;
  empty.textContent = "No webinars yet. They appear after an organizer's first sync.";
  $('#webinars-table').hidden = items.length === 0;
  const total = state.webinarTotal;
  const pages = Math.max(1, Math.ceil(total / WEBINAR_PAGE_SIZE));
  $('#webinars-page-info').textContent = total
    ? `Page ${state.webinarPage} of ${pages} · ${total} webinars`
    : '';
  $('#webinars-prev', HTMLButtonElement).disabled = state.webinarPage <= 1;
  $('#webinars-next', HTMLButtonElement).disabled = state.webinarPage >= pages;
  $('#webinars-pager').hidden = total <= WEBINAR_PAGE_SIZE;
}

/**
 * @param {Webinar} w
 * @param {HTMLElement} button
 * @param {HTMLElement} row
 * @param {boolean} [forceOpen]
 */
async function toggleGroups(w, button, row, forceOpen = false) {
  const open = forceOpen || button.getAttribute('aria-expanded') !== 'true';
  button.setAttribute('aria-expanded', String(open));
  row.hidden = !open;
  if (open) state.expanded.add(w.id);
  else state.expanded.delete(w.id);
  if (!open) return;
  const box = $('.groups', HTMLElement, row);
  try {
    /** @type {import('./api.js').Page<TargetGroup>} */
    const page = await api('GET', `/target-groups?webinarId=${w.id}`);
    box.replaceChildren(
      page.items.length
        ? el('ul', { class: 'group-list' }, page.items.map(groupItem))
        : el('span', { class: 'muted', text: 'No target groups yet.' }),
      await reconciliationLine(w, loadWebinars),
    );
  } catch (err) {
    box.replaceChildren(
      el('span', { class: 'error-text', text: /** @type {Error} */ (err).message }),
    );
  }
}

/** @param {TargetGroup} g */
function groupItem(g) {
  const kind = g.kind ?? '';
  const folder = state.folders.find((f) => f.id === g.folderId);
  return el(
    'li',
    {},
    badge('info', state.config.targetGroupKindLabels[kind] ?? kind),
    ' ',
    el('span', { text: g.name }),
    el('span', { class: 'muted', text: ` · ${g.memberCount} members` }),
    folder && el('span', { class: 'muted', text: ` · in ${folder.name}` }),
  );
}

export function bindWebinars() {
  const filter = $('#webinars-organizer', HTMLSelectElement);
  filter.addEventListener('change', () => {
    state.webinarOrganizer = filter.value;
    state.webinarPage = 1;
    void loadWebinars();
  });
  const search = $('#webinars-search', HTMLInputElement);
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let typing;
  search.addEventListener('input', () => {
    clearTimeout(typing);
    typing = setTimeout(() => {
      state.webinarSearch = search.value.trim();
      state.webinarPage = 1;
      void loadWebinars();
    }, 250);
  });
  const refresh = $('#webinars-refresh', HTMLButtonElement);
  refresh.addEventListener('click', () => busy(refresh, loadWebinars));
  $('#webinars-prev').addEventListener('click', () => {
    state.webinarPage = Math.max(1, state.webinarPage - 1);
    void loadWebinars();
  });
  $('#webinars-next').addEventListener('click', () => {
    state.webinarPage += 1;
    void loadWebinars();
  });
}
