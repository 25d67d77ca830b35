// How GoTo's collections are paged, apart from how one page is fetched: reporting collections
// (page 0 tells totalPages, the rest a few at a time) and registrants (a plain array, or the
// paginated object form followed page by page).
import { PageOf, RegistrantPage } from './goto-payloads';
import { GotoRegistrant } from './goto-webinar.types';

/** GoTo's maximum page size for reporting collections (`size`) and registrants (`limit`). */
export const GOTO_PAGE_SIZE = 200;
// A guard against a server that never reports its last page.
const MAX_PAGES = 10_000;
/** Reporting pages requested at once after page 0 (paced like every call; bounds buffered pages). */
export const PAGE_CONCURRENCY = 4;

/**
 * Pages of a reporting collection, yielded in order. Page 0 tells `totalPages`; the rest are then
 * requested up to PAGE_CONCURRENCY at a time (each still through the pacer, so GoTo's rate limit
 * holds), at most that many pages buffered. Stops on the page that says it is the last
 * (`page.number >= page.totalPages - 1`, not on totalElements, n8n's bug) or has no items; if the
 * collection grew meanwhile, the pages past the first `totalPages` are followed too.
 */
export async function* reportingPages<T>(
  fetchPage: (page: number) => Promise<PageOf<T>>,
): AsyncGenerator<T[]> {
  const ahead = new Map<number, Promise<PageOf<T>>>();
  let known = 1; // pages known to exist (page 0 is always asked for)
  let scheduled = 1; // pages 1 … scheduled-1 have been requested
  try {
    for (let page = 0; page < MAX_PAGES; page++) {
      const pending = ahead.get(page);
      ahead.delete(page);
      const res = await (pending ?? fetchPage(page));
      if (res.items.length > 0) yield res.items;
      if (res.last || res.items.length === 0) return;
      if (res.totalPages !== undefined)
        known = Math.min(Math.max(known, res.totalPages), MAX_PAGES);
      scheduled = Math.max(scheduled, page + 1);
      while (scheduled < known && scheduled <= page + PAGE_CONCURRENCY) {
        const p = fetchPage(scheduled);
        // Awaited in order below; a page never awaited (an earlier one failed) must not surface
        // as an unhandled rejection.
        p.catch(() => undefined);
        ahead.set(scheduled++, p);
      }
    }
  } finally {
    // Consumer stopped or a page failed: let requests already in flight finish quietly.
    ahead.clear();
  }
}

/**
 * All registrants. The first request has no page/limit (`query` undefined: the plain array, one
 * call for any size); if GoTo answers with the paginated object form, the remaining pages follow.
 */
export async function* registrantPages(
  fetch: (query: { page: number; limit: number } | undefined) => Promise<RegistrantPage>,
): AsyncGenerator<GotoRegistrant[]> {
  let query: { page: number; limit: number } | undefined;
  for (let n = 0; n < MAX_PAGES; n++) {
    const res = await fetch(query);
    if (res.items.length > 0) yield res.items;
    if (!res.paging) return;
    const { page, total } = res.paging;
    const limit =
      res.paging.limit > 0 ? Math.min(res.paging.limit, GOTO_PAGE_SIZE) : GOTO_PAGE_SIZE;
    if (res.items.length === 0 || (page + 1) * limit >= total) return;
    query = { page: page + 1, limit };
  }
}
