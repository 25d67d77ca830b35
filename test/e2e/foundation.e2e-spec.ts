import { DataSource } from 'typeorm';
import { createTestApp, TestApp } from '../support/test-app';
import { describeEachDialect } from '../support/test-database';

describeEachDialect('foundation', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect);
  });
  afterAll(async () => t?.close());

  it('GET /health reports the database up, with no API key', async () => {
    const res = await t.http().get('/health').expect(200);
    expect(res.body.status).toBe('ok');
    expect(res.body.info.database.status).toBe('up');
  });

  it('GET /metrics serves Prometheus text', async () => {
    const res = await t.http().get('/metrics').expect(200);
    expect(res.headers['content-type']).toMatch(/text\/plain/);
    expect(res.text).toMatch(/process_cpu_user_seconds_total/);
  });

  it('serves the OpenAPI document at /api/docs', async () => {
    const res = await t.http().get('/api/docs-json').expect(200);
    expect(res.body.openapi).toMatch(/^3\./);
    expect(Object.keys(res.body.paths)).toContain('/api/v1/account');
  });

  describe('API key guard', () => {
    it('401 JSON without a key', async () => {
      const res = await t.http().get('/api/v1/account').expect(401);
      expect(res.body).toMatchObject({ statusCode: 401, message: expect.stringMatching(/Bearer/) });
    });
    it('401 with a wrong key or a malformed header', async () => {
      await t.http().get('/api/v1/account').set('Authorization', 'Bearer wsk_nope').expect(401);
      await t.http().get('/api/v1/account').set('Authorization', 'Basic abc').expect(401);
    });
    it('each key sees its own account only', async () => {
      const a = await t.createAccount('Acme');
      const b = await t.createAccount('Globex');
      const ra = await t.http().get('/api/v1/account').set(a.auth).expect(200);
      const rb = await t.http().get('/api/v1/account').set(b.auth).expect(200);
      expect(ra.body).toMatchObject({ id: a.id, name: 'Acme' });
      expect(rb.body).toMatchObject({ id: b.id, name: 'Globex' });
    });
    it('stores only a hash of the key', async () => {
      const a = await t.createAccount();
      const ds = t.app.get(DataSource);
      const rows = await ds.query('SELECT api_key_hash FROM account WHERE id = ?', [a.id]);
      expect(rows[0].api_key_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(rows[0].api_key_hash).not.toContain(a.apiKey);
    });
  });

  describe('error shapes', () => {
    it('malformed JSON is a 400 naming the problem, not a 500', async () => {
      const a = await t.createAccount();
      const res = await t
        .http()
        .post('/api/v1/account')
        .set(a.auth)
        .set('Content-Type', 'application/json')
        .send('{"name": ')
        .expect(400);
      expect(res.body.statusCode).toBe(400);
      expect(res.body.message).toMatch(/JSON/);
    });
    it('unknown routes answer a JSON 404', async () => {
      const a = await t.createAccount();
      const res = await t.http().get('/api/v1/nope').set(a.auth).expect(404);
      expect(res.body.statusCode).toBe(404);
    });
  });
});
