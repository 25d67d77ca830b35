// @ts-check
// Which load of a view is the latest: an answer that arrives after the user moved on (to another
// webinar, another page of Activity) must not write over what is on show.

/** @typedef {() => boolean} IsCurrent true while no later load of the same view has begun */

/**
 * A counter of one view's loads.
 * @returns {() => IsCurrent} begins a load; its check turns false once the next load begins
 */
export function latestLoad() {
  let latest = 0;
  return () => {
    const mine = ++latest;
    return () => mine === latest;
  };
}
