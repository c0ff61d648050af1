import request from 'supertest';
import { DataSource } from 'typeorm';
import { createTestApp, TestApp } from './support/test-app';

describe('GET /health', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });

  afterAll(async () => {
    await t.close();
  });

  it('should answer ok with the version after a real database round trip', async () => {
    const res = await request(t.server).get('/health').expect(200);
    expect(res.body).toEqual({ status: 'ok', db: 'ok', version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('should answer 503 when the database does not answer', async () => {
    const query = jest.spyOn(t.app.get(DataSource), 'query').mockRejectedValueOnce(new Error('database is gone'));
    const res = await request(t.server).get('/health').expect(503);
    expect(res.body).toMatchObject({ status: 'error', db: 'unavailable' });
    query.mockRestore();
  });
});
