import { mentionsResident, placeholderName } from './erasure.service';
import { yearsAfter, yearsBefore } from './retention.service';

describe('data-protection rules', () => {
  describe('yearsBefore and yearsAfter', () => {
    it('should move the date by whole years when the day exists in both years', () => {
      expect(yearsBefore('2026-11-28', 8)).toBe('2018-11-28');
      expect(yearsAfter('2018-11-28', 8)).toBe('2026-11-28');
    });

    it('should fall on 28 February when 29 February does not exist in the target year', () => {
      expect(yearsBefore('2028-02-29', 1)).toBe('2027-02-28');
      expect(yearsAfter('2024-02-29', 1)).toBe('2025-02-28');
    });

    it('should keep 29 February when the target year is a leap year', () => {
      expect(yearsBefore('2024-02-29', 4)).toBe('2020-02-29');
    });
  });

  describe('mentionsResident', () => {
    const resident = { firstName: 'Maria Grazia', lastName: 'De Luca', preferredName: 'Mimma' };

    it.each([
      ['Request from Mrs De Luca\'s son', true],
      ['GRAZIA asked by letter', true],
      ['Request about mimma', true],
      ['Request ref. DP-2026-014 received on 3 November', false],
      // Parts shorter than three letters ("De") are too common to refuse a reason for.
      ['Received by e-mail, details in the DP file', false],
    ])('should answer %s -> %s when the reason is checked', (text, expected) => {
      expect(mentionsResident(text, resident)).toBe(expected);
    });

    it('should not see a name inside another word when the name is short', () => {
      expect(mentionsResident('Letter sent from Canada', { firstName: 'Ada', lastName: 'Po', preferredName: null })).toBe(false);
      expect(mentionsResident('Ada\'s nephew wrote', { firstName: 'Ada', lastName: 'Po', preferredName: null })).toBe(true);
    });
  });

  describe('placeholderName', () => {
    it('should name the resident in the home\'s language with the start of the id when the home works in Italian', () => {
      expect(placeholderName('7f3a9c2e-0000-4000-8000-000000000000', 'it')).toEqual({ firstName: 'Ospite cancellato', lastName: '7F3A' });
    });

    it('should fall back to English when the home\'s language has no catalogue', () => {
      expect(placeholderName('7f3a9c2e-0000-4000-8000-000000000000', 'de')).toEqual({ firstName: 'Erased resident', lastName: '7F3A' });
    });
  });
});
