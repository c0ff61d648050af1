import { MigrationInterface, QueryRunner, Table, TableColumn, TableForeignKey, TableIndex } from 'typeorm';
import { columns, foreignKey } from './portable-columns';

/**
 * Issue 20 item (e): groups of homes and their group managers (docs/groups.md). A home is in at most
 * one group (`home.groupId`, left empty when its group goes); a group manager's groups are rows of
 * `group_membership`, which go with the user or the group.
 */
export class HomeGroups1795884300000 implements MigrationInterface {
  name = 'HomeGroups1795884300000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columns(queryRunner);
    await queryRunner.createTable(new Table({
      name: 'home_group',
      columns: [c.id(), ...c.timestamps(), c.varchar('name', 120), c.integer('reachedThreshold', undefined, true)],
      indices: [{ columnNames: ['name'], isUnique: true }],
    }));
    await queryRunner.addColumn('home', new TableColumn(c.ref('groupId', true)));
    await queryRunner.createForeignKey('home', new TableForeignKey(foreignKey('groupId', 'home_group', 'SET NULL')));
    await queryRunner.createIndex('home', new TableIndex({ columnNames: ['groupId'] }));
    await queryRunner.createTable(new Table({
      name: 'group_membership',
      columns: [c.id(), ...c.timestamps(), c.ref('userId'), c.ref('groupId')],
      foreignKeys: [foreignKey('userId', 'user', 'CASCADE'), foreignKey('groupId', 'home_group', 'CASCADE')],
      indices: [{ columnNames: ['userId', 'groupId'], isUnique: true }, { columnNames: ['groupId'] }],
    }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('group_membership');
    const home = await queryRunner.getTable('home');
    const index = home?.indices.find((i) => i.columnNames.length === 1 && i.columnNames[0] === 'groupId');
    if (index) await queryRunner.dropIndex('home', index);
    const fk = home?.foreignKeys.find((f) => f.columnNames.includes('groupId'));
    if (fk) await queryRunner.dropForeignKey('home', fk);
    await queryRunner.dropColumn('home', 'groupId');
    await queryRunner.dropTable('home_group');
  }
}
