import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installedPlugins } from '../../config/plugins.js';
import { createApiToken } from '../../core/auth/api-tokens.js';
import { portalWorld, type PortalWorld } from '../harness/portal-world.js';
import { createTestApp, type TestApp } from '../harness/test-app.js';
import { dialects } from '../harness/test-database.js';

/**
 * Every route of the app with every installed plugin on, fed malformed path parameters, query strings,
 * bodies and headers, as the signed-in user the route is for (admin, operator, portal customer, API
 * token): nothing may answer 5xx. The route list comes from the app itself, so a new route is fuzzed
 * the day it is added.
 */

// Ending one's own session would turn the rest of the run into sign-in redirects.
const SESSION_ENDERS = new Set(['/logout', '/account/sessions/end', '/account/sessions/end-others', '/portal/logout']);

const JUNK = ['99999999999999999999', '-1', '1e309', "x'\"<svg onload=alert(1)>", '\u0000\u202e\ud800', '%', '', ' ', 'NaN', '[object Object]', '2026-02-30', '9999-99-99T99:99', 'x'.repeat(5000)];
const QUERY_KEYS = ['page', 'q', 'from', 'to', 'at', 'status', 'priority', 'group', 'agent', 'sort', 'order', 'limit', 'offset', 'kind', 'topic', 'state', 'tag', 'type',
  'model', 'organisation', 'location', 'groupBy', 'format', 'next', 'id', 'number', 'view', 'filter', 'period', 'table', 'lang', 'days', 'token', 'person', 'category', 'before', 'after', 'asOf', 'level', 'grade'];
const BODY_KEYS = [...QUERY_KEYS, 'subject', 'body', 'description', 'name', 'email', 'password', 'role', 'title', 'answer', 'cause', 'steps', 'visibility', 'topics', 'tags',
  'organisation_id', 'person_id', 'requester_id', 'category_id', 'group_id', 'assignee_id', 'contract_id', 'due_at', 'valid_from', 'valid_to', 'time_zone', 'locale',
  'hours', 'rrule', 'targets', 'minutes', 'reason', 'device_id', 'inventory_number', 'serial_number', 'model_id', 'location_id', 'status_after', 'version', 'loaded_at', 'comment', 'vote'];

function junkQuery(round: number): string {
  const params = new URLSearchParams();
  QUERY_KEYS.forEach((key, i) => {
    params.append(key, JUNK[(i + round) % JUNK.length]!);
    if (round % 2) params.append(key, JUNK[(i + round + 3) % JUNK.length]!);
  });
  // Broken percent escapes and a lone key the URLSearchParams above cannot produce.
  return `?${params.toString()}&%E0%A4%A=%&&=x&q=%FF%FE`;
}

function junkForm(round: number): URLSearchParams {
  const form = new URLSearchParams();
  BODY_KEYS.forEach((key, i) => {
    form.append(key, JUNK[(i + round) % JUNK.length]!);
    form.append(`${key}[]`, JUNK[(i + round + 1) % JUNK.length]!);
  });
  return form;
}

function junkMultipart(): FormData {
  const form = new FormData();
  for (const key of BODY_KEYS.slice(0, 30)) form.append(key, JUNK[key.length % JUNK.length]!);
  for (const field of ['file', 'files', 'attachments', 'logo', 'upload']) form.append(field, new File([new Uint8Array([0, 159, 146, 150, 0xff, 0xfe])], '../../\u202eexe.txt\u0000.png', { type: 'image/png' }));
  return form;
}

const BAD_HEADERS: Record<string, string> = {
  'Accept-Language': '*;q=abc,,de-DE;q=2, ;;',
  Referer: 'http://[::1',
  'HX-Request': 'true',
  'HX-Current-URL': 'ht tp://x y',
  'HX-Target': '\u00ff',
  'If-Modified-Since': 'yesterday',
  'If-None-Match': '"',
  'Last-Event-ID': 'not-a-number',
  'X-Forwarded-For': 'not-an-address, ::::',
  Forwarded: 'for="[::1"',
  Accept: 'application/json;q=x, text/html;;',
};

interface Variant { label: string; query: string; init: RequestInit }

function variantsFor(method: string): Variant[] {
  const query = [{ label: 'junk query', query: junkQuery(0), init: {} }, { label: 'repeated keys', query: junkQuery(1), init: {} }];
  if (method === 'GET') return query;
  const json = (text: string) => ({ headers: { 'Content-Type': 'application/json' }, body: text });
  return [
    { label: 'junk form', query: '', init: { body: junkForm(0) } },
    { label: 'junk form with junk query', query: junkQuery(2), init: { body: junkForm(5) } },
    { label: 'broken JSON', query: '', init: json('{"subject": ') },
    { label: 'JSON of wrong types', query: '', init: json(JSON.stringify({ subject: { $gt: '' }, body: null, priority: '99999999999999999999', id: [1], organisation_id: -1, tags: 'x', visibility: 7, due_at: 'soon' })) },
    { label: 'JSON array', query: '', init: json('[1,2,3]') },
    { label: 'multipart without boundary', query: '', init: { headers: { 'Content-Type': 'multipart/form-data' }, body: '--x\r\ngarbage' } },
    { label: 'multipart with junk files', query: '', init: { body: junkMultipart() } },
    { label: 'empty text body', query: '', init: { headers: { 'Content-Type': 'text/plain' }, body: '' } },
  ];
}

/** Concrete paths for a route pattern: one plausible set of parameters and one hostile set. */
function pathsFor(pattern: string, ticketNumber: string): string[] {
  const fill = (hostile: boolean) => pattern
    .replace(/\*$/, hostile ? '..%2f..%2fetc%2fpasswd' : 'x.css')
    .replace(/:([A-Za-z]+)(\{([^}]+)\})?/g, (_all, name: string, _braces, regex: string | undefined) => {
      const candidates = hostile
        ? ['9999-999999999999999', '99999999999999999999', '%00', 'x%20y', '..', 'disable']
        : name === 'number' ? [ticketNumber] : name === 'pluginId' ? ['helpdesk'] : name === 'action' ? ['enable'] : ['1', 'enable', ticketNumber, 'x'];
      const matching = regex ? candidates.filter((c) => new RegExp(`^(?:${regex})$`).test(decodeURIComponent(c))) : candidates;
      // "disable" would switch a plugin off for the rest of the run.
      return (matching.filter((c) => c !== 'disable')[0] ?? (name === 'action' ? 'enable' : candidates[0]))!;
    });
  return [...new Set([fill(false), fill(true)])];
}

describe.each(dialects)('malformed input on every route on %s', (dialect) => {
  let app: TestApp;
  let world: PortalWorld;
  const identity: Record<'admin' | 'operator' | 'portal', string> = { admin: '', operator: '', portal: '' };
  let bearer = '';
  let ticketNumber = '';

  beforeAll(async () => {
    app = await createTestApp(dialect, [...installedPlugins]);
    world = await portalWorld(app, 'fuzz');
    const adminEmail = 'admin@fuzz.test';
    const adminId = await app.createStaff(world.tenant.id, 'admin', adminEmail);
    await app.createStaff(null, 'operator', 'operator@platform.test');
    identity.admin = await app.signIn(adminEmail, 'fuzz');
    identity.operator = await app.signIn('operator@platform.test');
    identity.portal = await world.signIn(world.emails.manager);
    bearer = (await createApiToken(app.database.db, { tenantId: world.tenant.id, userId: adminId, name: 'fuzz' })).token;
    if (process.env.FUZZ_LOG) (app.services.log as { error: unknown }).error = (...args: unknown[]) => console.error(...args);
    ticketNumber = (await world.ticketFor(world.people.manager, world.organisations.acme, 'Printer jams')).number;
  }, 60_000);
  afterAll(() => app.cleanup());

  it('answers no route with a 5xx', async () => {
    const routes = [...new Map(app.app.routes.filter((r) => r.method !== 'ALL').map((r) => [`${r.method} ${r.path}`, r])).values()];
    expect(routes.length).toBeGreaterThan(250);
    const failures: string[] = [];
    let requests = 0;
    for (const route of routes) {
      const bare = route.path.replace(/\{[^}]*\}/g, '');
      if (SESSION_ENDERS.has(bare)) continue;
      const platform = /^\/(platform|healthz|readyz|static\/)/.test(route.path);
      for (const path of pathsFor(route.path, ticketNumber)) {
        for (const variant of variantsFor(route.method)) {
          const headers = new Headers(BAD_HEADERS);
          new Headers(variant.init.headers).forEach((value, key) => headers.set(key, value));
          if (path.startsWith('/api/')) headers.set('Authorization', `Bearer ${bearer}`);
          const cookie = path.startsWith('/platform') ? identity.operator : path.startsWith('/portal') ? identity.portal : identity.admin;
          const url = `${platform ? '' : '/t/fuzz'}${path}${variant.query}`;
          const response = await app.request(url, { ...variant.init, method: route.method, headers, cookie: `${cookie}; tresen_lang=%E0%A4%A; junk=%%%` });
          requests++;
          const streaming = response.headers.get('Content-Type')?.startsWith('text/event-stream');
          const text = streaming ? (await response.body?.cancel(), '') : await response.text();
          if (response.status >= 500) failures.push(`${route.method} ${url.slice(0, 120)} [${variant.label}] → ${response.status} ${text.slice(0, 160)}`);
        }
      }
    }
    expect(requests).toBeGreaterThan(1000);
    expect(failures).toEqual([]);
    // The identities were alive to the end, so the routes were reached and not answered by a sign-in redirect.
    expect((await app.request('/t/fuzz/desk', { cookie: identity.admin })).status).toBe(200);
    expect((await app.request('/platform', { cookie: identity.operator })).status).toBe(200);
    expect((await app.request('/t/fuzz/portal', { cookie: identity.portal })).status).toBe(200);
  }, 300_000);
});
