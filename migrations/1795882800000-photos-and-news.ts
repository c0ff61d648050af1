import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { columns, foreignKey } from './portable-columns';

/** Activity photos, the residents tagged in them, news posts, and each home's photo settings (issue 16, item 4). */
export class PhotosAndNews1795882800000 implements MigrationInterface {
  name = 'PhotosAndNews1795882800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columns(queryRunner);
    await queryRunner.createTable(new Table({
      name: 'photo',
      columns: [
        c.id(), ...c.timestamps(), c.ref('homeId'), c.ref('activityId', true), c.varchar('caption', 300, true),
        c.integer('width'), c.integer('height'), c.ref('uploadedById', true),
      ],
      foreignKeys: [foreignKey('homeId', 'home'), foreignKey('activityId', 'activity', 'SET NULL'), foreignKey('uploadedById', 'user', 'SET NULL')],
      // An activity's photos; a home's newest first.
      indices: [{ columnNames: ['activityId'] }, { columnNames: ['homeId', 'createdAt'] }],
    }));
    await queryRunner.createTable(new Table({
      name: 'photo_tag',
      columns: [c.id(), ...c.timestamps(), c.ref('homeId'), c.ref('photoId'), c.ref('residentId')],
      foreignKeys: [foreignKey('homeId', 'home'), foreignKey('photoId', 'photo', 'CASCADE'), foreignKey('residentId', 'resident')],
      uniques: [{ columnNames: ['photoId', 'residentId'] }],
      indices: [{ columnNames: ['residentId'] }],
    }));
    await queryRunner.createTable(new Table({
      name: 'news_post',
      columns: [c.id(), ...c.timestamps(), c.ref('homeId'), c.ref('unitId', true), c.text('body', false), c.ref('photoId', true), c.ref('authorId', true)],
      foreignKeys: [foreignKey('homeId', 'home'), foreignKey('unitId', 'unit', 'SET NULL'), foreignKey('photoId', 'photo', 'SET NULL'), foreignKey('authorId', 'user', 'SET NULL')],
      indices: [{ columnNames: ['homeId', 'createdAt'] }],
    }));
    await queryRunner.createTable(new Table({
      name: 'photo_setting',
      columns: [c.id(), ...c.timestamps(), c.ref('homeId'), c.boolean('volunteersMayAdd', false)],
      foreignKeys: [foreignKey('homeId', 'home', 'CASCADE')],
      uniques: [{ columnNames: ['homeId'] }],
    }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('photo_setting');
    await queryRunner.dropTable('news_post');
    await queryRunner.dropTable('photo_tag');
    await queryRunner.dropTable('photo');
  }
}
