// @ts-check
// What the page knows, shared by its sections. Only the modules of this page change it.

/** @typedef {import('./api.js').Account} Account */
/** @typedef {import('./api.js').Settings} Settings */
/** @typedef {import('./api.js').Folder} Folder */
/** @typedef {import('./api.js').Organizer} Organizer */
/** @typedef {import('./api.js').PageConfig} PageConfig */

export const state = {
  /** @type {PageConfig} until the server answers, the zone is UTC and kinds show as sent */
  config: { defaultTimeZone: 'UTC', targetGroupKindLabels: {} },
  /** @type {Account | null} */
  account: null,
  /** @type {Settings | null} */
  settings: null,
  /** @type {Folder[]} */
  folders: [],
  /** @type {Organizer[]} */
  organizers: [],
  webinarPage: 1,
  webinarTotal: 0,
  /** The organizer filter of the webinar list ('' for all). */
  webinarOrganizer: '',
  webinarSearch: '',
  /** @type {Organizer | null} the organizer in the Actions dialog */
  editing: null,
  /** @type {Set<number>} webinar ids whose target groups are shown */
  expanded: new Set(),
};
