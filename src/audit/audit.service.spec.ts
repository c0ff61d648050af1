import { diffFields } from './audit.service';

const sut = diffFields;

describe('diffFields', () => {
  it('should return no changes when nothing differs', () => {
    const record = { name: 'Casa Serena', slug: 'casa-serena' };

    expect(sut(record, { ...record }, ['name', 'slug'])).toEqual({});
  });

  it('should give old and new values when a field changes', () => {
    const changes = sut({ name: 'Casa Serena', slug: 'casa-serena' }, { name: 'Casa Sole', slug: 'casa-serena' }, ['name', 'slug']);

    expect(changes).toEqual({ name: { old: 'Casa Serena', new: 'Casa Sole' } });
  });

  it('should ignore a changed field when it is not in the list', () => {
    const changes = sut({ name: 'A', passwordHash: 'x' }, { name: 'A', passwordHash: 'y' }, ['name']);

    expect(changes).toEqual({});
  });

  it('should record null when a value was undefined before', () => {
    const changes = sut({}, { address: 'Via Roma 1' }, ['address']);

    expect(changes).toEqual({ address: { old: null, new: 'Via Roma 1' } });
  });

  it('should record null when a value becomes undefined', () => {
    const changes = sut({ address: 'Via Roma 1' }, { address: undefined }, ['address']);

    expect(changes).toEqual({ address: { old: 'Via Roma 1', new: null } });
  });

  it('should see no change when undefined becomes null', () => {
    expect(sut({ address: undefined }, { address: null }, ['address'])).toEqual({});
  });

  it('should see no change when an array is a new copy with the same items', () => {
    expect(sut({ tags: ['music', 'garden'] }, { tags: ['music', 'garden'] }, ['tags'])).toEqual({});
  });

  it('should record the arrays when their items differ', () => {
    const changes = sut({ tags: ['music'] }, { tags: ['music', 'garden'] }, ['tags']);

    expect(changes).toEqual({ tags: { old: ['music'], new: ['music', 'garden'] } });
  });

  it('should see no change when an object is a new copy with the same values', () => {
    expect(sut({ contact: { phone: '123' } }, { contact: { phone: '123' } }, ['contact'])).toEqual({});
  });

  it('should record the objects when a nested value differs', () => {
    const changes = sut({ contact: { phone: '123' } }, { contact: { phone: '456' } }, ['contact']);

    expect(changes).toEqual({ contact: { old: { phone: '123' }, new: { phone: '456' } } });
  });

  it('should see a change when a number becomes the same digits as text', () => {
    expect(sut({ floor: 1 }, { floor: '1' }, ['floor'])).toEqual({ floor: { old: 1, new: '1' } });
  });
});
