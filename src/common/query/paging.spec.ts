import { Column, DataSource, Entity, PrimaryColumn } from 'typeorm';
import { likePattern, pageOf, whereAnyContains, whereEveryWordIn } from './paging';

@Entity()
class Person {
  @PrimaryColumn()
  id: string;

  @Column()
  firstName: string;

  @Column()
  lastName: string;
}

const PEOPLE: Person[] = [
  { id: '3', firstName: 'Maria', lastName: 'Rossi' },
  { id: '1', firstName: 'Maria', lastName: 'Rossi' },
  { id: '2', firstName: 'Anna', lastName: 'Rossi' },
  { id: '4', firstName: 'Luca', lastName: 'Bianchi' },
  { id: '5', firstName: 'Ida', lastName: '50%_off\\' },
];

describe('likePattern', () => {
  const sut = likePattern;

  it('should wrap the lower-cased term in wildcards when it is plain text', () => {
    expect(sut('Rossi')).toBe('%rossi%');
  });

  it('should escape the wildcards and the escape character when the term holds them', () => {
    expect(sut('50%_a\\b')).toBe('%50\\%\\_a\\\\b%');
  });
});

describe('query helpers', () => {
  let dataSource: DataSource;

  beforeAll(async () => {
    // A throwaway in-memory database: the one place synchronize is fine.
    dataSource = new DataSource({ type: 'better-sqlite3', database: ':memory:', entities: [Person], synchronize: true });
    await dataSource.initialize();
    await dataSource.getRepository(Person).insert(PEOPLE);
  });

  afterAll(() => dataSource.destroy());

  const people = () => dataSource.getRepository(Person).createQueryBuilder('p');
  const ids = (rows: Person[]) => rows.map((row) => row.id);

  describe('whereAnyContains', () => {
    const sut = whereAnyContains;

    it('should keep a row when any expression contains the term in another case', async () => {
      expect(ids(await sut(people(), ['p.firstName', 'p.lastName'], 'BIANCHI').getMany())).toEqual(['4']);
    });

    it('should match % and _ literally when the term holds them', async () => {
      expect(ids(await sut(people(), ['p.lastName'], '0%_').getMany())).toEqual(['5']);
      expect(await sut(people(), ['p.lastName'], 'i_s').getMany()).toEqual([]);
    });
  });

  describe('whereEveryWordIn', () => {
    const sut = whereEveryWordIn;

    it('should need every word somewhere in the columns when several are typed', async () => {
      const rows = await sut(people(), ['p.firstName', 'p.lastName'], ' rossi  mar ').orderBy('p.id').getMany();

      expect(ids(rows)).toEqual(['1', '3']);
    });
  });

  describe('pageOf', () => {
    const sut = pageOf;

    it('should order by last name, first name and id when the list is paged', async () => {
      const first = await sut(people(), undefined, 2);
      const second = await sut(people(), 2, 2);

      expect([...ids(first.rows), ...ids(second.rows)]).toEqual(['5', '4', '2', '1']);
      expect(first).toMatchObject({ total: 5, page: 1, pages: 3 });
    });

    it('should show the last page when the page asked for is past the end', async () => {
      expect(await sut(people(), 9, 2)).toMatchObject({ rows: [expect.objectContaining({ id: '3' })], total: 5, page: 3, pages: 3 });
    });

    it('should give one empty page when nothing matches', async () => {
      expect(await sut(people().where('1 = 0'), 4, 2)).toEqual({ rows: [], total: 0, page: 1, pages: 1 });
    });
  });
});
