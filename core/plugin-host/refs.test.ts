import { describe, expect, it } from 'vitest';
import type { Child } from 'hono/jsx';
import { definePlugin, type PluginApi } from './define-plugin.js';
import type { PluginHooks } from './plugin-hooks.js';
import { defineEvent, defineExtensionPoint, defineSlot, type EventPayload } from './refs.js';
import { TICKET_MAIN } from './slots.js';
import { TICKET_ARTICLE, TICKET_STATUS_CHANGED } from '../tickets/ticket-events.js';

interface Greeting extends EventPayload { text: string }
const GREETED = defineEvent<Greeting>('alpha.greeted');
const BADGE = defineSlot<{ count: number }>('alpha.badge');
const FORMATTER = defineExtensionPoint<{ format(text: string): string }>('alpha.formatter');

describe('typed references', () => {
  it('carry their name, kind and owner and are frozen', () => {
    expect(GREETED).toEqual({ kind: 'event', name: 'alpha.greeted' });
    expect(BADGE).toEqual({ kind: 'slot', name: 'alpha.badge' });
    expect(FORMATTER).toEqual({ kind: 'extensionPoint', name: 'alpha.formatter', owner: 'alpha' });
    expect(defineExtensionPoint<unknown>('core.articleView').owner).toBeNull();
    expect(Object.isFrozen(GREETED)).toBe(true);
  });

  it('refuse a name that is not dotted', () => {
    expect(() => defineEvent('greeted')).toThrow('event name "greeted" must be dotted');
    expect(() => defineSlot('Ticket side')).toThrow('slot name');
    expect(() => defineExtensionPoint('')).toThrow('extension point name');
  });

  it('make a wrong payload, props or implementation a compile error', () => {
    // Never called: tsc checks the body (npm test type-checks before it runs), so each
    // expect-error directive below fails the build if the line it marks ever compiles.
    function typeChecks(api: PluginApi, hooks: PluginHooks) {
      api.on(GREETED, (payload) => void payload.text.toUpperCase());
      // @ts-expect-error a misspelt or string name is not a reference
      api.on('alpha.greeted', () => {});
      // @ts-expect-error the payload has no such field
      api.on(GREETED, (payload) => void payload.number);
      api.on(TICKET_ARTICLE, (payload) => void payload.articleId.toFixed());
      // @ts-expect-error a status change carries history changes, not an article
      api.filter(TICKET_STATUS_CHANGED, (payload) => void payload.articleId);
      api.slot(BADGE, (ctx) => String(ctx.props.count));
      // @ts-expect-error the ticket page's slot props have no count
      api.slot(TICKET_MAIN, (ctx) => String(ctx.props.count));
      api.provide(FORMATTER, { format: (text) => text });
      // @ts-expect-error the implementation does not fit the point
      api.provide(FORMATTER, { format: (text: number) => text });
      void hooks.emit(GREETED, { tenantId: 1, text: 'hi' });
      // @ts-expect-error emitting without the declared payload
      void hooks.emit(GREETED, { tenantId: 1 });
      const formatters: Promise<Array<{ format(text: string): string }>> = hooks.extensions(FORMATTER, 1);
      void formatters;
      const panels: Promise<Child[]> = hooks.slot(BADGE, {} as Parameters<typeof hooks.slot<{ count: number }>>[1]);
      void panels;
    }
    expect(typeof typeChecks).toBe('function');
    expect(definePlugin({ id: 'alpha', version: '1.0.0', core: '^1.0.0', name: 'alpha.name', register: () => {} }).id).toBe('alpha');
  });
});
