import { listHref } from './list-href';

describe('listHref', () => {
  const sut = listHref;

  it('should give the bare path when there is no filter and the page is the first', () => {
    expect(sut('/staff', { q: null, status: undefined }, 1)).toBe('/staff');
  });

  it('should keep the filters in order and leave out blank ones when some are set', () => {
    expect(sut('/families', { q: 'rossi maria', archived: '', homeId: 'h1' }, 1)).toBe('/families?q=rossi+maria&homeId=h1');
  });

  it('should add the page after the filters when it is past the first', () => {
    expect(sut('/volunteers', { q: 'a&b', status: 'all' }, 3)).toBe('/volunteers?q=a%26b&status=all&page=3');
  });
});
