// @ts-check
// The Activity view (/admin/activity): the account's recent syncs across organizers, newest
// first, with what each changed (the webinar history) and why a failed one failed.
import { api } from './api.js';
import { $, badge, busy, el } from './dom.js';
import { formatDate } from './format.js';
import { latestLoad } from './latest-load.js';
import { onRoute, showRoute } from './router.js';

/** @typedef {import('./api.js').ActivityEntry} ActivityEntry */

const PAGE_SIZE = 25;

/** @type {Record<string, string>} job types (src/sync/sync-job-types.ts) as the view names them */
const TYPE_LABELS = {
  organizer_full_sync: 'Full sync',
  organizer_periodic_sync: 'Periodic sync',
  webinar_participants_sync: 'Participants',
  webinar_registrations: 'Registrations',
  webhook_subscription: 'Real-time updates',
};

const view = { page: 1, total: 0, failedOnly: false };
const beginLoad = latestLoad();

/** @param {ActivityEntry} a */
function changesText(a) {
  const c = a.changes;
  // Only participant syncs record changes (the webinar history); other jobs show none.
  const recorded = a.type === 'webinar_participants_sync' && a.status === 'succeeded';
  if (!c) return el('span', { class: 'muted', text: recorded ? 'No change' : '—' });
  /** @type {Array<[number, string]>} */
  const parts = [
    [c.added, 'added'],
    [c.cancelled, 'cancelled'],
    [c.attended, 'attended'],
    [c.statusChanged, c.statusChanged === 1 ? 'status change' : 'status changes'],
  ];
  return parts
    .filter(([n]) => n > 0)
    .map(([n, what]) => `${n} ${what}`)
    .join(' · ');
}

/** @param {ActivityEntry} a */
function row(a) {
  return el(
    'tr',
    { 'data-job-id': a.jobId, class: a.status === 'failed' ? 'failed-row' : null },
    el('td', { class: 'nowrap' }, formatDate(a.finishedAt)),
    el('td', {}, a.organizerEmail ?? el('span', { class: 'muted', text: '—' })),
    el(
      'td',
      {},
      TYPE_LABELS[a.type] ?? a.type,
      a.webinarId !== null &&
        el(
          'div',
          { class: 'sub' },
          el('a', {
            href: `/admin/webinars/${a.webinarId}`,
            'data-nav': 'webinar',
            text: a.webinarSubject ?? `Webinar ${a.webinarId}`,
          }),
        ),
    ),
    el('td', {}, changesText(a)),
    el(
      'td',
      {},
      a.status === 'failed' ? badge('error', 'Failed') : badge('ok', 'OK'),
      a.lastError && el('div', { class: 'error-text', text: a.lastError }),
    ),
  );
}

/** Loads the page of syncs the controls ask for; an answer overtaken by a later load is dropped. */
export async function loadActivity() {
  const isCurrent = beginLoad();
  const qs = new URLSearchParams({ page: String(view.page), pageSize: String(PAGE_SIZE) });
  if (view.failedOnly) qs.set('status', 'failed');
  /** @type {import('./api.js').Page<ActivityEntry>} */
  let page;
  try {
    page = await api('GET', `/activity?${qs}`);
  } catch (err) {
    if (isCurrent()) throw err;
    return;
  }
  if (!isCurrent()) return;
  view.total = page.total;
  $('#activity-body').replaceChildren(...page.items.map(row));
  $('#activity-empty').hidden = page.items.length > 0;
  $('#activity-empty').textContent = view.failedOnly
    ? 'No sync has failed.'
    : 'No sync has finished yet.';
  const pages = Math.max(1, Math.ceil(page.total / PAGE_SIZE));
  $('#activity-page-info').textContent = page.total
    ? `Page ${view.page} of ${pages} · ${page.total} syncs`
    : '';
  $('#activity-prev', HTMLButtonElement).disabled = view.page <= 1;
  $('#activity-next', HTMLButtonElement).disabled = view.page >= pages;
}

// The controls reload through the router, which shows a failed load as the notice.
export function bindActivity() {
  onRoute('activity', loadActivity);
  const failed = $('#activity-failed', HTMLInputElement);
  failed.addEventListener('change', () => {
    view.failedOnly = failed.checked;
    view.page = 1;
    void showRoute();
  });
  const refresh = $('#activity-refresh', HTMLButtonElement);
  refresh.addEventListener('click', () => busy(refresh, showRoute));
  $('#activity-prev').addEventListener('click', () => {
    view.page = Math.max(1, view.page - 1);
    void showRoute();
  });
  $('#activity-next').addEventListener('click', () => {
    view.page += 1;
    void showRoute();
  });
}
