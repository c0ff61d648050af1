import request from 'supertest';
import type { TestApp } from './test-app';

export type Agent = ReturnType<typeof request.agent>;

/** The CSRF token from a page's hidden `_csrf` field. */
export function csrfFrom(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match) throw new Error('No CSRF token in page');
  return match[1];
}

/** A browser-like client: keeps cookies, and fetches a fresh form token before each post. */
export async function formToken(agent: Agent, page = '/login'): Promise<string> {
  const res = await agent.get(page).expect(200);
  return csrfFrom(res.text);
}

export async function signIn(t: TestApp, email: string, password: string): Promise<Agent> {
  const agent = request.agent(t.server);
  const token = await formToken(agent);
  const res = await agent.post('/login').type('form').send({ _csrf: token, email, password });
  if (res.status !== 303) throw new Error(`Sign-in failed with ${res.status}: ${res.text.slice(0, 300)}`);
  return agent;
}

/** Signs in through the JSON API; returns the client and its CSRF token for writes. */
export async function apiSignIn(t: TestApp, email: string, password: string): Promise<{ agent: Agent; csrfToken: string }> {
  const agent = request.agent(t.server);
  const res = await agent.post('/api/auth/login').send({ email, password }).expect(200);
  return { agent, csrfToken: res.body.csrfToken };
}

export function sessionCookie(setCookie: string[] | string | undefined): string | undefined {
  const cookies = Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [];
  return cookies.find((c) => c.startsWith('insieme.sid='));
}
