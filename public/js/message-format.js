/*
 * The catalogue's ICU messages formatted in the browser, as src/common/i18n/i18n.ts formats them on the
 * server (intl-messageformat): the page hands a script the message as written ({{tSource "key"}}), and
 * the script fills it. The part of ICU our catalogues use: `{name}`; `{n, plural, =0 {…} one {…} other {…}}`
 * with `#` for the number, written in the language; and ICU's apostrophes: `''` is an apostrophe, and a
 * lone one before `{`, `}`, `<`, `>` (or `#` in a plural) starts quoted text up to the next.
 * Unit-tested against the server's formatting of every text the scripts use (tools/ward/message-format.spec.ts).
 */

function parse(source, start, inPlural) {
  var nodes = [];
  var text = '';
  var i = start;
  function flush() {
    if (text) nodes.push(text);
    text = '';
  }
  while (i < source.length) {
    var c = source[i];
    if (c === "'") {
      var next = source[i + 1];
      if (next === "'") {
        text += "'";
        i += 2;
      } else if (next === '{' || next === '}' || next === '<' || next === '>' || (next === '#' && inPlural)) {
        i += 1;
        while (i < source.length) {
          if (source[i] === "'") {
            if (source[i + 1] === "'") { text += "'"; i += 2; continue; }
            i += 1;
            break;
          }
          text += source[i];
          i += 1;
        }
      } else {
        text += c;
        i += 1;
      }
    } else if (c === '}') {
      break;
    } else if (c === '#' && inPlural) {
      flush();
      nodes.push({ pound: true });
      i += 1;
    } else if (c === '{') {
      flush();
      var head = /^\{\s*(\w+)\s*(?:,\s*(\w+)\s*,)?/.exec(source.slice(i));
      if (!head) throw new Error('Not a message: ' + source);
      i += head[0].length;
      if (!head[2]) {
        i = expect(source, i, '}');
        nodes.push({ name: head[1] });
        continue;
      }
      if (head[2] !== 'plural') throw new Error('Only plural is supported: ' + source);
      var options = {};
      for (;;) {
        var selector = /^\s*(=?\w+)\s*\{/.exec(source.slice(i));
        if (!selector) break;
        var inner = parse(source, i + selector[0].length, true);
        options[selector[1]] = inner.nodes;
        i = expect(source, inner.end, '}');
      }
      i = expect(source, i, '}');
      nodes.push({ name: head[1], options: options });
    } else {
      text += c;
      i += 1;
    }
  }
  flush();
  return { nodes: nodes, end: i };
}

function expect(source, i, char) {
  while (source[i] === ' ' || source[i] === '\n') i += 1;
  if (source[i] !== char) throw new Error('Expected ' + char + ' at ' + i + ': ' + source);
  return i + 1;
}

function render(nodes, params, locale, count) {
  return nodes.map(function (node) {
    if (typeof node === 'string') return node;
    if (node.pound) return new Intl.NumberFormat(locale).format(count);
    var given = params[node.name] !== undefined;
    if (!node.options) return given ? String(params[node.name]) : '{' + node.name + '}';
    if (!given) return '{' + node.name + '}';
    var n = Number(params[node.name]);
    var chosen = node.options['=' + n] || node.options[new Intl.PluralRules(locale).select(n)] || node.options.other || [];
    return render(chosen, params, locale, n);
  }).join('');
}

var parsed = Object.create(null);

/** A catalogue message with its arguments filled; an argument with no value stays `{name}`, as on the server. */
export function formatMessage(source, params, locale) {
  if (!(source in parsed)) parsed[source] = parse(source, 0, false).nodes;
  return render(parsed[source], params || {}, locale || 'en', 0);
}

/** For the classic scripts (log.js), which cannot import: every signed-in page loads this module through outbox.js. */
if (typeof window !== 'undefined') window.InsiemeFormatMessage = formatMessage;
