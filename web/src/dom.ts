// Small DOM helpers: element creation, labelled controls and tables (no framework).
type Attrs = Record<string, string | number | boolean | undefined>;

/** Create an element with attributes (`text` sets textContent) and children. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: (Node | string | null | undefined)[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    if (key === 'text') el.textContent = String(value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children) if (child !== null && child !== undefined) el.append(child);
  return el;
}

let nextId = 0;
/** A `<label>` + control pair; the control gets an id and the label's `for`. */
export function labelled<T extends HTMLElement>(text: string, control: T): HTMLElement {
  if (!control.id) control.id = `control-${++nextId}`;
  return h('span', { class: 'control' }, h('label', { for: control.id, text }), control);
}

/** A `<select>` of options; `onChange` gets the chosen value. */
export function select(
  options: readonly { value: string; label: string }[],
  selected: string,
  onChange: (value: string) => void,
  id?: string,
): HTMLSelectElement {
  const el = h('select', { id });
  for (const o of options)
    el.append(h('option', { value: o.value, text: o.label, selected: o.value === selected }));
  el.addEventListener('change', () => onChange(el.value));
  return el;
}

/** A table with a caption, header row and body rows (cells as text or nodes). */
export function table(
  caption: string,
  header: readonly string[],
  rows: readonly (readonly (string | number | Node)[])[],
  id?: string,
): HTMLTableElement {
  const el = h('table', { id });
  el.append(h('caption', { text: caption }));
  el.append(h('thead', {}, h('tr', {}, ...header.map((c) => h('th', { scope: 'col', text: c })))));
  const body = h('tbody');
  for (const row of rows)
    body.append(
      h('tr', {}, ...row.map((c) => (c instanceof Node ? h('td', {}, c) : h('td', { text: String(c) })))),
    );
  el.append(body);
  return el;
}

/** Format a number with `digits` decimals; null/NaN as an en dash. */
export function fmt(x: number | null | undefined, digits = 2): string {
  return x === null || x === undefined || !Number.isFinite(x) ? '–' : x.toFixed(digits);
}

/** `HH:MM` of an ISO UTC time. */
export const hhmm = (iso: string) => iso.slice(11, 16);

/** The controls bar of a per-platform view: a labelled platform picker that routes to `#/<view>?platform=`. */
export function platformControls(view: string, ids: readonly string[], selected: string): HTMLElement {
  return h(
    'div',
    { class: 'controls' },
    labelled(
      'Platform',
      select(
        ids.map((id) => ({ value: id, label: id })),
        selected,
        (value) => (location.hash = `#/${view}?platform=${encodeURIComponent(value)}`),
      ),
    ),
  );
}
