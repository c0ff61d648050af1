import { catalogueKeys, catalogues, compileMessage, LOCALES, messageArguments, messageSource, translate } from '../../src/common/i18n/i18n';
import { formatMessage } from '../../public/js/message-format.js';

/** The browser's ICU formatting (public/js/message-format.js) against the server's (intl-messageformat). */
describe('formatMessage', () => {
  const sut = formatMessage;

  it('should choose the plural form of the language when given a count', () => {
    const source = '{n, plural, one {# ospite} other {# ospiti}}';

    expect([0, 1, 2].map((n) => sut(source, { n }, 'it'))).toEqual(['0 ospiti', '1 ospite', '2 ospiti']);
  });

  it('should prefer an exact =n form when the message has one', () => {
    expect(sut('{n, plural, =0 {none} one {# tap} other {# taps}}', { n: 0 }, 'en')).toBe('none');
  });

  it('should keep an apostrophe when it is doubled or not before a brace', () => {
    expect(sut("your ''{yours}'' at l'{time}", { yours: 'active', time: '10:00' }, 'en')).toBe("your 'active' at l{time}");
  });

  it('should leave an argument as {name} when its value is not given', () => {
    expect(sut('{title}: {n, plural, one {# resident} other {# residents}}', { title: 'Bingo' }, 'en')).toBe('Bingo: {n}');
  });

  describe.each(LOCALES)('every catalogue text in %s', (locale) => {
    const keys = catalogueKeys(catalogues[locale]);

    it.each([0, 1, 2, 5, 21, 12345, 1_000_000])('should read as the server writes it when the count is %d', (count) => {
      const differing = keys
        .map((key) => {
          const args = messageArguments(compileMessage(messageSource(locale, key), locale).getAst());
          const values = Object.fromEntries([...args].map(([name, kind]) => [name, kind === 'choice' ? count : `<${name}>`]));
          return { key, server: translate(locale, key, values), browser: sut(messageSource(locale, key), values, locale) };
        })
        .filter(({ server, browser }) => server !== browser);

      expect(keys.length).toBeGreaterThan(100);
      expect(differing).toEqual([]);
    });
  });
});
