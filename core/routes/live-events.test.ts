import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/harness/test-app.js';

async function readUntil(reader: ReadableStreamDefaultReader<Uint8Array>, marker: string): Promise<string> {
  const decoder = new TextDecoder();
  let text = '';
  while (!text.includes(marker)) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
  }
  return text;
}

describe('live events (SSE)', () => {
  let app: TestApp;
  let acme: number;
  let globex: number;

  beforeAll(async () => {
    app = await createTestApp('sqlite');
    acme = (await app.createTenant('acme')).id;
    globex = (await app.createTenant('globex')).id;
    await app.createStaff(acme, 'agent', 'agent@acme.test');
  });
  afterAll(() => app.cleanup());

  it('streams the tenant\'s events to a signed-in agent, and none of another tenant', async () => {
    const cookie = await app.signIn('agent@acme.test', 'acme');
    const controller = new AbortController();
    const response = await app.request('/t/acme/events', { cookie, signal: controller.signal });
    expect(response.headers.get('Content-Type')).toContain('text/event-stream');
    const reader = response.body!.getReader();
    expect(await readUntil(reader, 'event: ready')).toContain('event: ready');
    app.services.events.publish({ tenantId: globex, type: 'ticket-created', data: { number: 'other' } });
    app.services.events.publish({ tenantId: acme, type: 'ticket-created', data: { number: '2026-000001' } });
    const text = await readUntil(reader, '2026-000001');
    expect(text).toContain('event: ticket-created');
    expect(text).not.toContain('other');
    controller.abort();
    await reader.cancel().catch(() => {});
  });

  it('refuses anonymous listeners', async () => {
    expect((await app.request('/t/acme/events')).status).toBe(303);
  });
});
