import Handlebars from 'handlebars';

/**
 * A web address as people write one in a message: http or https only, up to a space, a quote or an
 * angle bracket (none of which an address holds unencoded; typographic quotes from a phone's keyboard
 * neither). Not after a letter, digit or colon, so "xhttps://" and "javascript:https://" start no link.
 * One character class repeated: no backtracking to speak of on a long message.
 */
const ADDRESS = /(?<![\p{L}\p{N}:])https?:\/\/[^\s<>"`“”‘’«»]+/giu;
/** Punctuation that ends the sentence rather than the address ("see https://x.it/a."). */
const TRAILING = new Set(['.', ',', ';', ':', '!', '?', "'"]);

/**
 * Free text as HTML, every character escaped as `{{text}}` would, with each http(s) address a link
 * that opens in a new tab and tells the site nothing of the page it came from. Any other scheme
 * (`javascript:`, `data:`, `mailto:`) stays text. Used by the `linkify` view helper.
 */
export function linkifyHtml(text: unknown): string {
  if (typeof text !== 'string' || text === '') return '';
  let html = '';
  let from = 0;
  for (const match of text.matchAll(ADDRESS)) {
    const address = trimTrailing(match[0]);
    if (!isWebAddress(address)) continue;
    const escaped = Handlebars.escapeExpression(address);
    html += Handlebars.escapeExpression(text.slice(from, match.index)) + `<a href="${escaped}" rel="noopener noreferrer nofollow" target="_blank">${escaped}</a>`;
    from = match.index + address.length;
  }
  return html + Handlebars.escapeExpression(text.slice(from));
}

/** Sentence punctuation and a closing parenthesis the address did not open stay outside the link. */
function trimTrailing(candidate: string): string {
  let address = candidate;
  for (;;) {
    const last = address.at(-1)!;
    if (TRAILING.has(last) || (last === ')' && count(address, ')') > count(address, '('))) address = address.slice(0, -1);
    else return address;
  }
}

function count(text: string, char: string): number {
  return text.split(char).length - 1;
}

/** An address a browser reads as http(s) with a host: "https://" alone or "http://:80" is text. */
function isWebAddress(address: string): boolean {
  if (!URL.canParse(address)) return false;
  const url = new URL(address);
  return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
}
