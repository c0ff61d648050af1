import { catalogues, isLocale, localeFromAcceptLanguage, translate } from './i18n';

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
