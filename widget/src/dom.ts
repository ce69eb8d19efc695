/** The widget's DOM helpers: element building that never parses markup. */
export type Child = Node | string | null | undefined | false;
export type Props = Record<string, string | number | boolean | ((event: Event) => void) | null | undefined>;

/** Element builder: strings become text nodes (Node.append), never markup. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (typeof value === 'function') element.addEventListener(name.slice(2), value);
    else if (value !== null && value !== undefined && value !== false) element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children) if (child) element.append(child);
  return element;
}
