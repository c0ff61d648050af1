import { groupByHome } from './option-groups';

describe('groupByHome', () => {
  const homes = new Map([['h1', 'Casa Aurora'], ['h2', 'Villa Serena']]);

  it('should answer no groups when every choice is of one home', () => {
    const sut = groupByHome([{ id: 'u1', name: 'Ground floor', homeId: 'h1' }], homes);
    expect(sut).toBeUndefined();
  });

  it('should group choices under their home names in the homes\' order when they come from several homes', () => {
    const sut = groupByHome([
      { id: 'u3', name: 'Garden', homeId: 'h2' },
      { id: 'u1', name: 'Ground floor', homeId: 'h1' },
      { id: 'u2', name: 'First floor', homeId: 'h1', data: { title: 'x' } },
    ], homes);
    expect(sut).toEqual([
      { label: 'Casa Aurora', options: [{ id: 'u1', name: 'Ground floor' }, { id: 'u2', name: 'First floor', data: { title: 'x' } }] },
      { label: 'Villa Serena', options: [{ id: 'u3', name: 'Garden' }] },
    ]);
  });
});
