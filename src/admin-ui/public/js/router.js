// @ts-check
// The page's three views by address, without reloading: /admin (setup and webinars),
// /admin/webinars/:id (one webinar) and /admin/activity. The server answers the page for each.
import { $$, notice } from './dom.js';

/** @typedef {{ view: 'main' } | { view: 'webinar', webinarId: number } | { view: 'activity' }} Route */
/** @typedef {Route['view']} View */

/** @type {View[]} */
const VIEWS = ['main', 'webinar', 'activity'];

/**
 * @param {string} pathname
 * @returns {Route}
 */
export function parseRoute(pathname) {
  const webinar = /^\/admin\/webinars\/(\d+)\/?$/.exec(pathname);
  if (webinar) return { view: 'webinar', webinarId: Number(webinar[1]) };
  if (/^\/admin\/activity\/?$/.test(pathname)) return { view: 'activity' };
  return { view: 'main' };
}

/** @type {Partial<Record<View, (route: Route) => Promise<void> | void>>} */
const handlers = {};

/**
 * What to do when a view is shown (load its data).
 * @param {View} view
 * @param {(route: Route) => Promise<void> | void} handler
 */
export function onRoute(view, handler) {
  handlers[view] = handler;
}

/**
 * Shows the view of the current address and loads it (again, when it is on show already: its own
 * controls reload it this way). A failed load is the page notice; the view keeps what it showed.
 */
export async function showRoute() {
  const route = parseRoute(window.location.pathname);
  for (const v of VIEWS) {
    const node = document.getElementById(`${v}-view`);
    if (node) node.hidden = v !== route.view;
  }
  for (const a of $$('.view-nav a[data-nav]')) {
    if (a.dataset.nav === route.view) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  try {
    await handlers[route.view]?.(route);
  } catch (err) {
    notice(`This view could not be loaded: ${/** @type {Error} */ (err).message}`, 'error');
  }
}

/** @param {string} path an /admin address */
export function navigate(path) {
  if (path !== window.location.pathname) window.history.pushState(null, '', path);
  window.scrollTo(0, 0);
  return showRoute();
}

// Links marked data-nav change the view in place; a modified click still opens a new tab.
export function bindRouter() {
  window.addEventListener('popstate', () => void showRoute());
  document.addEventListener('click', (ev) => {
    const target = ev.target instanceof Element ? ev.target.closest('a[data-nav]') : null;
    if (!(target instanceof HTMLAnchorElement)) return;
    if (ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
    ev.preventDefault();
    void navigate(target.pathname);
  });
}
