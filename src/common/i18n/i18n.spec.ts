import { catalogues, elided, isLocale, localeFromAcceptLanguage, translate } from './i18n';

describe('translate', () => {
  const sut = translate;

  it('should return the English text when the locale is en', () => {
    expect(sut('en', 'common.save')).toBe('Save');
  });

  it('should return the Italian text when the locale is it', () => {
    expect(sut('it', 'common.save')).toBe('Salva');
  });

  it('should fill a placeholder when its value is given', () => {
    expect(sut('en', 'dashboard.welcome', { name: 'Ada' })).toBe('Welcome, Ada');
  });

  it('should write numbers as text when a placeholder value is a number', () => {
    expect(sut('en', 'auth.throttled', { minutes: 15 })).toBe('Too many sign-in attempts. Wait 15 minutes and try again.');
  });

  it('should leave a placeholder as written when its value is not given', () => {
    expect(sut('en', 'dashboard.welcome')).toBe('Welcome, {name}');
  });

  it('should use English when the locale is not one of ours', () => {
    expect(sut('fr', 'common.cancel')).toBe('Cancel');
  });

  describe('when the key is missing from Italian', () => {
    beforeEach(() => {
      catalogues.en.specOnly = { greeting: 'Hello, {name}' };
    });

    afterEach(() => {
      delete catalogues.en.specOnly;
    });

    it('should fall back to the English text when the key exists only in English', () => {
      expect(sut('it', 'specOnly.greeting', { name: 'Ada' })).toBe('Hello, Ada');
    });
  });

  it('should return the key itself when no catalogue has it', () => {
    expect(sut('it', 'nowhere.to.be.found')).toBe('nowhere.to.be.found');
  });

  it('should return the key itself when the key names a group rather than a text', () => {
    expect(sut('en', 'common')).toBe('common');
  });
});

describe('localeFromAcceptLanguage', () => {
  const sut = localeFromAcceptLanguage;

  it('should return en when there is no header', () => {
    expect(sut(undefined)).toBe('en');
  });

  it('should return en when the header is empty', () => {
    expect(sut('')).toBe('en');
  });

  it('should return it when the header names a region tag like it-IT', () => {
    expect(sut('it-IT')).toBe('it');
  });

  it('should ignore letter case when the tag is upper-case', () => {
    expect(sut('IT-it')).toBe('it');
  });

  it('should follow the q-values when they rank a later language higher', () => {
    expect(sut('en;q=0.5,it-IT;q=0.9')).toBe('it');
  });

  it('should choose the first language we have when the preferred ones are unknown', () => {
    expect(sut('fr-FR,fr;q=0.9,it;q=0.8,en;q=0.7')).toBe('it');
  });

  it('should return en when no language in the header is known', () => {
    expect(sut('fr-FR,de;q=0.9')).toBe('en');
  });

  it('should ignore an entry when its q-value is not a number', () => {
    expect(sut('it;q=high,en;q=0.5')).toBe('en');
  });

  it('should honour the q-value when there is a space before it', () => {
    // RFC 9110 allows optional whitespace around ";" in "it; q=0.5".
    expect(sut('it; q=0.5, en;q=0.8')).toBe('en');
  });

  it('should not choose a language when its q-value is 0', () => {
    // q=0 means "not acceptable" (RFC 9110 section 12.4.2).
    expect(sut('fr, it;q=0')).toBe('en');
  });
});

describe('isLocale', () => {
  const sut = isLocale;

  it.each(['en', 'it'])('should accept %s when it is one of our locales', (value) => {
    expect(sut(value)).toBe(true);
  });

  it.each<unknown>(['fr', 'EN', 'it-IT', '', undefined, null, 42])('should refuse %p when it is not one of our locales', (value) => {
    expect(sut(value)).toBe(false);
  });
});

describe('translate with ICU messages', () => {
  const sut = translate;

  afterEach(() => {
    delete catalogues.en.specOnly;
    delete catalogues.it.specOnly;
  });

  it.each([[0, '0 residents'], [1, '1 resident'], [2, '2 residents']])('should choose the English plural form when the count is %d', (n, text) => {
    expect(sut('en', 'residents.count', { n })).toBe(text);
  });

  it.each([[0, '0 ospiti'], [1, '1 ospite'], [2, '2 ospiti']])('should choose the Italian plural form when the count is %d', (n, text) => {
    expect(sut('it', 'residents.count', { n })).toBe(text);
  });

  it('should count a whole number given as text when a validator passes its constraint so', () => {
    expect(sut('en', 'validation.arrayMinSize', { n: '1' })).toBe('Send at least 1 item.');
  });

  it('should leave a count as {name} when its value is not given, so a mail can refuse the text', () => {
    expect(sut('en', 'ward.itemLine', { title: 'Bingo', time: '10:00' })).toBe('Bingo: {n}, saved at 10:00');
  });

  it('should keep apostrophes as written when they are not beside a brace', () => {
    expect(sut('it', 'reports.needingAttentionCount', { count: 2 })).toBe("2 ospiti hanno frequentato meno di un'attività a settimana. I nomi sono nella copia della direzione.");
  });

  it('should write an apostrophe beside a placeholder when the catalogue doubles it', () => {
    const text = sut('en', 'ward.conflict', { resident: 'Ada', kept: 'Active', by: 'Bea', keptAt: '10:00', yours: 'Absent', yoursAt: '10:01' });

    expect(text).toBe("Ada: Active, logged by Bea at 10:00, was kept; your 'Absent' at 10:01 was not.");
  });

  it('should keep < and > as text when a message has them', () => {
    catalogues.en.specOnly = { tag: 'Use <b>{name}</b>' };

    expect(sut('en', 'specOnly.tag', { name: 'Ada' })).toBe('Use <b>Ada</b>');
  });

  it('should show the text as written when a catalogue text is not a valid message', () => {
    catalogues.en.specOnly = { broken: 'Hello {name' };

    expect(sut('en', 'specOnly.broken', { name: 'Ada' })).toBe('Hello {name');
  });

  it('should return the same text each time when the message is compiled once and cached', () => {
    const first = sut('it', 'calendar.rosterAdded', { n: 3 });

    expect([first, sut('it', 'calendar.rosterAdded', { n: 3 })]).toEqual(['3 ospiti invitati.', '3 ospiti invitati.']);
  });
});

describe('elided', () => {
  it('should write an Italian article before the 8th and the 11th of a month as Italian does', () => {
    expect(elided('Si è offerto di aiutare il 8 dicembre 2026 e il 11 gennaio', 'it')).toBe("Si è offerto di aiutare l'8 dicembre 2026 e l'11 gennaio");
    expect(elided('In corso, dati dal 1 ottobre al 1 dicembre 2026; 1 ottobre resta com\'è', 'it')).toBe("In corso, dati dal 1° ottobre al 1° dicembre 2026; 1 ottobre resta com'è");
    expect(elided('From 1 October', 'en')).toBe('From 1 October');
    expect(elided('Dal 11 nov al 8 dic', 'it')).toBe("Dall'11 nov all'8 dic");
    expect(elided('il 18 dicembre, il 8 posti', 'it')).toBe('il 18 dicembre, il 8 posti');
    expect(elided('on 8 December', 'en')).toBe('on 8 December');
  });
});
