import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { AppEnv } from '../app-env.js';
import { idFrom } from '../forms.js';
import { MAX_ID, pathIdBounds } from './path-ids.js';

describe('ids at the input boundary', () => {
  it('reads a form id only as a whole number within the id range', () => {
    expect(idFrom('42')).toBe(42);
    expect(idFrom(' 7 ')).toBe(7);
    expect(idFrom(String(MAX_ID))).toBe(MAX_ID);
    for (const bad of ['', '0', '-1', '1e3', '1.5', 'Infinity', '1e309', String(MAX_ID + 1), '99999999999999999999', 'x', undefined, null, {}]) expect(idFrom(bad), String(bad)).toBeNull();
  });

  it('answers 404 for a path segment of digits beyond every id, and lets the rest through', async () => {
    const app = new Hono<AppEnv>();
    app.use(pathIdBounds);
    app.get('/things/:id', (c) => c.text(`thing ${c.req.param('id')}`));
    app.get('/tickets/:number', (c) => c.text(`ticket ${c.req.param('number')}`));
    expect(await (await app.request(`/things/${MAX_ID}`)).text()).toBe(`thing ${MAX_ID}`);
    expect((await app.request(`/things/${MAX_ID + 1}`)).status).toBe(404);
    expect((await app.request('/things/99999999999999999999')).status).toBe(404);
    expect(await (await app.request('/tickets/2026-000000000000001')).text()).toBe('ticket 2026-000000000000001');
  });
});
