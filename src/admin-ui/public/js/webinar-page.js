// @ts-check
// The webinar page (/admin/webinars/:id): figures, exports, the reconciliation with its repair,
// charts, "Register a target group" (upcoming webinars) and the sync history, newest first.
import { api, download } from './api.js';
import { $, badge, el, notice } from './dom.js';
import { formatDate } from './format.js';
import { latestLoad } from './latest-load.js';
import { bindRegisterGroup, showRegisterCard } from './register-group.js';
import { onRoute } from './router.js';
import { state } from './state.js';
import { drawWebinarCharts } from './webinar-charts.js';
import { reconciliationLine } from './webinar-sync.js';
import { isUpcoming } from './webinars.js';

/** @typedef {import('./api.js').WebinarDetail} WebinarDetail */
/** @typedef {import('./api.js').TargetGroup} TargetGroup */
/** @typedef {import('./api.js').HistoryEntry} HistoryEntry */
/** @typedef {import('./latest-load.js').IsCurrent} IsCurrent */

const HISTORY_PAGE_SIZE = 20;

/** A load for a webinar left behind writes nothing once it ends late. */
const beginLoad = latestLoad();

/** @type {Record<HistoryEntry['source'], string>} who made a history entry's change */
const SOURCE_LABELS = { sync: 'Sync', webhook: 'GoTo event' };

/**
 * An export as a link to its API address, saved through download() (the key cannot ride on a link).
 * @param {string} path under /api/v1
 * @param {string} text
 */
function exportLink(path, text) {
  const link = el('a', { class: 'btn btn-sm', href: `/api/v1${path}`, 'data-export': path, text });
  link.addEventListener('click', async (ev) => {
    ev.preventDefault();
    try {
      const name = await download(path);
      notice(`Downloaded ${name}.`, 'ok');
    } catch (err) {
      notice(`Export failed: ${/** @type {Error} */ (err).message}`, 'error');
    }
  });
  return link;
}

/**
 * @param {WebinarDetail} w
 * @param {TargetGroup[]} groups
 */
function renderOverview(w, groups) {
  const upcoming = isUpcoming(w);
  const organizer = state.organizers.find((o) => o.id === w.organizerId);
  $('#webinar-title').textContent = w.subject;
  $('#webinar-sub').replaceChildren(
    el(
      'span',
      {},
      formatDate(w.startsAt),
      organizer && ` · ${organizer.email}`,
      ' ',
      upcoming && badge('info', 'Upcoming'),
      w.status === 'cancelled' && badge('muted', 'Cancelled'),
    ),
  );
  /** @type {Array<[string, string | number]>} */
  const figures = [
    ['Registered', w.counts.registered],
    ['Attended', upcoming ? 'upcoming' : w.counts.attended],
    ['Not attended', upcoming ? 'upcoming' : w.counts.notAttended],
    ['Last synced', w.participantsSyncedAt ? formatDate(w.participantsSyncedAt) : 'Never'],
  ];
  $('#webinar-figures').replaceChildren(
    ...figures.map(([k, v]) =>
      el('div', { class: 'figure' }, el('dt', { text: k }), el('dd', { text: String(v) })),
    ),
  );
  const labels = state.config.targetGroupKindLabels;
  $('#webinar-exports').replaceChildren(
    exportLink(`/webinars/${w.id}/participants/export`, 'Participants CSV'),
    ...groups.map((g) =>
      exportLink(
        `/target-groups/${g.id}/members/export`,
        `${labels[g.kind ?? ''] ?? g.kind ?? g.name} CSV`,
      ),
    ),
  );
}

/**
 * @param {number} webinarId
 * @param {IsCurrent} isCurrent
 */
async function renderHistory(webinarId, isCurrent) {
  /** @type {import('./api.js').Page<HistoryEntry>} */
  const page = await api('GET', `/webinars/${webinarId}/history?pageSize=${HISTORY_PAGE_SIZE}`);
  if (!isCurrent()) return;
  /** @param {import('./api.js').ChangeCount} c */
  const cell = (c) =>
    el('td', { class: 'num', title: c.samples.length ? c.samples.join(', ') : null }, c.count);
  $('#history-body').replaceChildren(
    ...page.items.map((h) =>
      el(
        'tr',
        { 'data-history-id': h.id },
        el('td', { class: 'nowrap' }, formatDate(h.syncedAt)),
        el('td', { 'data-source': h.source }, SOURCE_LABELS[h.source] ?? h.source),
        cell(h.added),
        cell(h.cancelled),
        cell(h.attended),
        cell(h.statusChanged),
      ),
    ),
  );
  $('#history-empty').hidden = page.items.length > 0;
  $('#history-table').hidden = page.items.length === 0;
}

/**
 * Loads every part of the page; each part fails on its own, and all failures are one notice.
 * Each part writes only while this webinar is still the one on show (`isCurrent`).
 * @param {number} webinarId
 */
export async function loadWebinarPage(webinarId) {
  const isCurrent = beginLoad();
  $('#webinar-title').textContent = 'Loading…';
  /** @type {WebinarDetail} */
  let w;
  try {
    w = await api('GET', `/webinars/${webinarId}`);
  } catch (err) {
    if (!isCurrent()) return;
    $('#webinar-title').textContent = 'Webinar not found';
    notice(`The webinar could not be loaded: ${/** @type {Error} */ (err).message}`, 'error');
    return;
  }
  if (!isCurrent()) return;
  /** @type {string[]} what failed, each with its reason */
  const failures = [];
  /** @type {TargetGroup[]} */
  let groups = [];
  try {
    /** @type {import('./api.js').Page<TargetGroup>} */
    const page = await api('GET', `/target-groups?webinarId=${w.id}`);
    groups = page.items;
  } catch (err) {
    // the exports of the groups are left out (and said so); the rest of the page still loads
    failures.push(`the target groups' exports (${/** @type {Error} */ (err).message})`);
  }
  if (!isCurrent()) return;
  renderOverview(w, groups);
  const reload = () => loadWebinarPage(w.id);
  const upcoming = isUpcoming(w);
  /** @type {Array<[string, Promise<unknown>]>} */
  const parts = [
    [
      'the reconciliation',
      reconciliationLine(w, reload).then((line) => {
        if (isCurrent()) $('#webinar-reconciliation').replaceChildren(line);
      }),
    ],
    ['the charts', drawWebinarCharts(w.id, upcoming, isCurrent)],
    ['the history', renderHistory(w.id, isCurrent)],
    [
      'the target groups to register',
      showRegisterCard(w, upcoming && w.status !== 'cancelled', isCurrent),
    ],
  ];
  const settled = await Promise.allSettled(parts.map(([, p]) => p));
  settled.forEach((s, i) => {
    if (s.status === 'rejected') failures.push(`${parts[i][0]} (${s.reason.message})`);
  });
  if (failures.length > 0 && isCurrent())
    notice(`Part of the webinar page could not be loaded: ${failures.join('; ')}.`, 'error');
}

export function bindWebinarPage() {
  bindRegisterGroup();
  onRoute('webinar', (route) =>
    'webinarId' in route ? loadWebinarPage(route.webinarId) : undefined,
  );
}
