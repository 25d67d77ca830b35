// GoTo's paging: the reporting envelope (`_embedded` plus `page`) and its page/size parameters.
import { SimContext } from './sim-context';
import { SimReply, SimRequest, json, jsonText } from './sim-http';
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
 * The same envelope from rows serialized beforehand (memoized per webinar): a page costs a join,
 * not a rebuild of every row. `rows()` gives the row objects for faults that edit the body.
 */
export function reportingPageOfText(
  ctx: SimContext,
  req: SimRequest,
  name: string,
  texts: string[],
  rows: () => unknown[],
): SimReply {
  const { page, size } = pageParams(ctx, req);
  const from = page * size;
  const items = texts.slice(from, from + size);
  const info = pageInfo(page, size, texts.length);
  const text =
    (items.length > 0 ? `{"_embedded":{${JSON.stringify(name)}:[${items.join(',')}]},` : '{') +
    `"page":${JSON.stringify(info)}}`;
  return jsonText(200, text, () => {
    const body: Record<string, unknown> = {};
    if (items.length > 0) body._embedded = { [name]: rows().slice(from, from + size) };
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
