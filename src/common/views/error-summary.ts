import { translate } from '../i18n/i18n';

/** One line of the error summary at the top of a refused form: "Label: message", linked to its field when the page shows it. */
export interface SummaryItem {
  text: string;
  href: string | null;
}

const CONTROL = /<(input|select|textarea|fieldset)\b[^>]*>/g;
const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#x27;': "'", '&#39;': "'", '&#x60;': '`', '&#x3D;': '=', '&nbsp;': ' ' };

function attribute(tag: string, name: string): string | null {
  return new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1] ?? null;
}

/** Visible text of a bit of our own escaped HTML: tags dropped, Handlebars' entities read back, spaces collapsed. */
export function htmlText(html: string): string {
  return html.replace(/<[^>]*>/g, ' ').replace(/&(amp|lt|gt|quot|#x27|#39|#x60|#x3D|nbsp);/g, (entity) => ENTITIES[entity]).replace(/\s+/g, ' ').trim();
}

/** A label's text, without the colon or the asterisk of a required field. */
function textOf(html: string): string {
  return htmlText(html).replace(/\s*[:*]$/, '');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The label a page gives a field, read from the page as rendered: the `<label for>` of the control
 * named `name` (the one marked invalid when a page repeats it, as a form per row does), or the
 * `<legend>` of its group (`<fieldset id="field-name">`, a list of checkboxes). Every form then
 * names its fields in the summary without a list of labels beside the templates.
 */
export function fieldLabel(html: string, name: string): { label: string; id: string } | null {
  const group = new RegExp(`<fieldset\\b[^>]*\\sid="(field-${escapeRegExp(name)})"[^>]*>[\\s\\S]*?<legend\\b[^>]*>([\\s\\S]*?)</legend>`).exec(html);
  if (group) return { label: textOf(group[2]), id: group[1] };
  const controls = [...html.matchAll(CONTROL)]
    .map((match) => match[0])
    .filter((tag) => attribute(tag, 'name') === name && attribute(tag, 'type') !== 'hidden' && attribute(tag, 'id'));
  // A checkbox among several of one name is labelled by its own choice, not by the field.
  const single = controls.filter((tag) => !/\stype="(checkbox|radio)"/.test(tag) || controls.length === 1);
  const control = single.find((tag) => tag.includes('aria-invalid="true"')) ?? single[0];
  if (!control) return null;
  const id = attribute(control, 'id')!;
  const label = new RegExp(`<label\\b[^>]*\\sfor="${escapeRegExp(id)}"[^>]*>([\\s\\S]*?)</label>`).exec(html);
  const text = label ? textOf(label[1]) : '';
  return text ? { label: text, id } : null;
}

/** Each field's message prefixed by its label and linked to it; a field the page does not show keeps its message alone. */
export function errorSummary(html: string, errors: Record<string, string>, locale: string): SummaryItem[] {
  const items: SummaryItem[] = [];
  const seen = new Set<string>();
  for (const [name, message] of Object.entries(errors)) {
    const found = fieldLabel(html, name);
    // A label that is a sentence ("I understand … for ever.") loses its full stop before the colon.
    const text = found ? translate(locale, 'errors.fieldMessage', { label: found.label.replace(/[.。]\s*$/, ''), message }) : message;
    if (seen.has(text)) continue;
    seen.add(text);
    items.push({ text, href: found ? `#${found.id}` : null });
  }
  return items;
}
