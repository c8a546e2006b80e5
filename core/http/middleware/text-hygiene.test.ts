import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { AppEnv } from '../app-env.js';
import { textHygiene } from './text-hygiene.js';

/** The boundary as handlers meet it: whichever way a route reads its body, the strings arrive clean. */
describe('text hygiene middleware', () => {
  const app = new Hono<AppEnv>().use(textHygiene)
    .post('/form', async (c) => c.json(await c.req.parseBody({ all: true })))
    .post('/json', async (c) => c.json(await c.req.json()));

  it('cleans urlencoded and multipart form fields, and keeps the files', async () => {
    const urlencoded = await app.request('/form', { method: 'POST', body: new URLSearchParams({ subject: 'Drucker\u0000 kaputt', body: 'Zeile 1\r\nZeile 2' }) });
    expect(await urlencoded.json()).toEqual({ subject: 'Drucker kaputt', body: 'Zeile 1\r\nZeile 2' });
    const multipart = new FormData();
    multipart.append('subject', 'x\u0001y');
    multipart.append('file', new File(['bytes'], 'report.pdf'));
    const parsed = (await (await app.request('/form', { method: 'POST', body: multipart })).json()) as Record<string, unknown>;
    expect(parsed.subject).toBe('xy');
    expect(parsed).toHaveProperty('file');
  });

  it('cleans JSON bodies at any depth: NUL dropped, a lone surrogate replaced', async () => {
    const raw = '{"subject":"a\\u0000b","tags":["t\\ud800"],"custom":{"note":"n\\udc00"}}';
    const response = await app.request('/json', { method: 'POST', body: raw, headers: { 'Content-Type': 'application/json' } });
    expect(await response.json()).toEqual({ subject: 'ab', tags: ['t\ufffd'], custom: { note: 'n\ufffd' } });
  });
});
