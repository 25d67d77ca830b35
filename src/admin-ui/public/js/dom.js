// @ts-check
// Small DOM helpers: typed queries, element building, form errors, the page notice, busy buttons.

/**
 * The element matching `selector`, checked to be a `type` (HTMLElement unless told); a missing or
 * different element is a bug in the page, so it throws.
 * @template {new () => Element} [C=typeof HTMLElement]
 * @param {string} selector
 * @param {C} [type]
 * @param {ParentNode} [root]
 * @returns {InstanceType<C>}
 */
export function $(selector, type, root = document) {
  const node = root.querySelector(selector);
  const expected = type ?? HTMLElement;
  if (!(node instanceof expected)) throw new Error(`admin page: no ${expected.name} ${selector}`);
  return /** @type {InstanceType<C>} */ (node);
}

/**
 * @param {string} selector
 * @param {ParentNode} [root]
 * @returns {HTMLElement[]}
 */
export function $$(selector, root = document) {
  return Array.from(root.querySelectorAll(selector)).filter((n) => n instanceof HTMLElement);
}

/** @typedef {Node | string | number | null | undefined | false} Child */
/** @typedef {Record<string, string | number | boolean | null | undefined | ((ev: Event) => void)>} Attrs */

/**
 * An element with attributes (`class`, `text`, `on<event>` handlers, boolean and string attributes)
 * and children (nodes or text; null, undefined and false are skipped).
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Attrs} [attrs]
 * @param {...(Child | Child[])} children
 * @returns {HTMLElementTagNameMap[K]}
 */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (typeof v === 'function') node.addEventListener(k.slice(2), v);
    else if (k === 'class') node.className = String(v);
    else if (k === 'text') node.textContent = String(v);
    else if (v === true) node.setAttribute(k, '');
    else node.setAttribute(k, String(v));
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

/**
 * @param {'ok' | 'error' | 'warn' | 'info' | 'muted'} kind
 * @param {string} text
 */
export function badge(kind, text) {
  return el('span', { class: `badge badge-${kind}`, text });
}

/** @param {HTMLElement} form */
export function clearErrors(form) {
  for (const p of $$('[data-error-for]', form)) p.textContent = '';
  for (const i of $$('[aria-invalid]', form)) i.removeAttribute('aria-invalid');
}

/**
 * Puts each API error next to the field it names; anything else goes to the form-level slot.
 * @param {HTMLElement} form
 * @param {{ message: string, errors?: import('./api.js').FieldError[] }} err
 */
export function showErrors(form, err) {
  clearErrors(form);
  const general = form.querySelector('[data-error-for="*"]');
  let placed = false;
  for (const e of err.errors ?? []) {
    const field = String(e.field || '').split('.')[0];
    const slot = field && form.querySelector(`[data-error-for="${CSS.escape(field)}"]`);
    if (slot) {
      slot.textContent = e.message || 'Invalid value';
      form.querySelector(`[name="${CSS.escape(field)}"]`)?.setAttribute('aria-invalid', 'true');
      placed = true;
    }
  }
  if (!placed && general) general.textContent = err.message;
  else if (!placed) notice(err.message, 'error');
}

/** @type {ReturnType<typeof setTimeout> | undefined} */
let noticeTimer;

/**
 * The page-level message; errors stay until the next one, others fade after 8 s.
 * @param {string} text
 * @param {'info' | 'ok' | 'error'} [kind]
 */
export function notice(text, kind = 'info') {
  const n = $('#page-notice');
  n.textContent = text;
  n.className = `notice notice-${kind}`;
  n.hidden = false;
  clearTimeout(noticeTimer);
  if (kind !== 'error') noticeTimer = setTimeout(() => (n.hidden = true), 8000);
}

/**
 * Disables the button while `fn` runs.
 * @template T
 * @param {HTMLButtonElement} button
 * @param {() => Promise<T>} fn
 * @returns {Promise<T>}
 */
export async function busy(button, fn) {
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  try {
    return await fn();
  } finally {
    button.disabled = false;
    button.removeAttribute('aria-busy');
  }
}

/** @param {number} ms */
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
