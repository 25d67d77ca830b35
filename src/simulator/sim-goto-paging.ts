// GoTo's paging: the reporting envelope (`_embedded` plus `page`) and its page/size parameters.
import { SimContext } from './sim-context';
import { JoinedRows } from './sim-byte-strings';
import { SimReply, SimRequest, json, jsonBytes } from './sim-http';
import { intParam } from './sim-goto-request';

export const MAX_PAGE = 200;
export const DEFAULT_PAGE = 20;

/** Reporting envelope: `_embedded.<name>` plus `page`; with no items on the page, no `_embedded`. */
export function reportingPage(
  ctx: SimContext,
  req: SimRequest,
  name: string,
  all: unknown[],
): SimReply {
  const { page, size } = pageParams(ctx, req);
  const items = all.slice(page * size, page * size + size);
  const body: Record<string, unknown> = {};
  if (items.length > 0) body._embedded = { [name]: items };
  body.page = pageInfo(page, size, all.length);
  return json(200, body);
}

/**
 * The same envelope from rows serialized beforehand (memoized per webinar): a page costs a copy of
 * its bytes, not a rebuild of every row. `rows()` gives the row objects for faults that edit the body.
 */
export function reportingPageOfRows(
  ctx: SimContext,
  req: SimRequest,
  name: string,
  joined: JoinedRows,
  rows: () => unknown[],
): SimReply {
  const { page, size } = pageParams(ctx, req);
  const from = page * size;
  const count = Math.max(0, Math.min(size, joined.count - from));
  const info = pageInfo(page, size, joined.count);
  const tail = `"page":${JSON.stringify(info)}}`;
  const bytes =
    count > 0
      ? joined.wrap(`{"_embedded":{${JSON.stringify(name)}:[`, from, from + size, `]},${tail}`)
      : Buffer.from(`{${tail}`);
  return jsonBytes(200, bytes, () => {
    const body: Record<string, unknown> = {};
    if (count > 0) body._embedded = { [name]: rows().slice(from, from + size) };
    body.page = info;
    return body;
  });
}

export function pageParams(ctx: SimContext, req: SimRequest): { page: number; size: number } {
  return {
    page: intParam(ctx, req, 'page', 0, 0),
    size: intParam(ctx, req, 'size', DEFAULT_PAGE, 1, MAX_PAGE),
  };
}

export const pageInfo = (page: number, size: number, total: number) => ({
  size,
  totalElements: total,
  totalPages: Math.ceil(total / size),
  number: page,
});
