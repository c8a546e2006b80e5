import { describe, expect, it } from 'vitest';
import { createEventBus, type AppEvent } from '../events/event-bus.js';
import { createPresenceRegistry, PRESENCE_BEAT, PRESENCE_CHANGED } from './presence-registry.js';

describe('presence registry', () => {
  const setup = () => {
    let now = Date.parse('2026-03-02T09:00:00Z');
    const events = createEventBus();
    const seen: AppEvent[] = [];
    events.subscribe(1, (event) => seen.push(event));
    const registry = createPresenceRegistry(events, () => new Date(now), 45_000);
    return { events, registry, seen, changes: () => seen.filter((e) => e.type === PRESENCE_CHANGED).length, advance: (ms: number) => { now += ms; } };
  };

  it('lists each user once (editing wins over viewing), leaves out the asking user, and tells pages only of changes', () => {
    const { registry, changes } = setup();
    registry.beat(1, { number: '2026-000001', tab: 'tab-a-0001', userId: 7, name: 'Sven', state: 'viewing' });
    expect(changes()).toBe(1);
    registry.beat(1, { number: '2026-000001', tab: 'tab-a-0001', userId: 7, name: 'Sven', state: 'viewing' });
    expect(changes()).toBe(1);
    registry.beat(1, { number: '2026-000001', tab: 'tab-b-0001', userId: 7, name: 'Sven', state: 'editing' });
    registry.beat(1, { number: '2026-000001', tab: 'tab-c-0001', userId: 8, name: 'Ada', state: 'viewing' });
    expect(changes()).toBe(3);
    expect(registry.present(1, '2026-000001', 8)).toEqual([{ userId: 7, name: 'Sven', state: 'editing' }]);
    expect(registry.present(1, '2026-000001').map((p) => p.name)).toEqual(['Ada', 'Sven']);
    // Another tenant, another ticket: nobody.
    expect(registry.present(2, '2026-000001')).toEqual([]);
    expect(registry.present(1, '2026-000002')).toEqual([]);
    registry.beat(1, { number: '2026-000001', tab: 'tab-b-0001', userId: 7, name: 'Sven', state: 'gone' });
    expect(registry.present(1, '2026-000001', 8)).toEqual([{ userId: 7, name: 'Sven', state: 'viewing' }]);
  });

  it('lets a tab expire after its last beat without a goodbye, and forgets the ticket then', () => {
    const { registry, advance } = setup();
    registry.beat(1, { number: '2026-000001', tab: 'tab-a-0001', userId: 7, name: 'Sven', state: 'viewing' });
    advance(30_000);
    registry.beat(1, { number: '2026-000001', tab: 'tab-c-0001', userId: 8, name: 'Ada', state: 'viewing' });
    advance(20_000);
    expect(registry.present(1, '2026-000001').map((p) => p.name)).toEqual(['Ada']);
    advance(30_000);
    expect(registry.present(1, '2026-000001')).toEqual([]);
    expect(registry.size()).toBe(0);
  });

  it('applies beats that come from another instance, and ignores malformed ones', () => {
    const { events, registry } = setup();
    events.deliverRemote({ tenantId: 1, type: PRESENCE_BEAT, data: { n: '2026-000001', k: 'remote-tab-1', u: 9, l: 'Remo', s: 'editing' } });
    events.deliverRemote({ tenantId: 1, type: PRESENCE_BEAT, data: { n: '2026-000001', k: 'remote-tab-2', u: '9', l: 'Bad', s: 'editing' } });
    events.deliverRemote({ tenantId: 1, type: PRESENCE_BEAT, data: { n: '2026-000001', k: 'remote-tab-3', u: 10, l: 'Bad', s: 'typing' } });
    expect(registry.present(1, '2026-000001')).toEqual([{ userId: 9, name: 'Remo', state: 'editing' }]);
    registry.close();
    events.deliverRemote({ tenantId: 1, type: PRESENCE_BEAT, data: { n: '2026-000001', k: 'remote-tab-4', u: 11, l: 'Late', s: 'viewing' } });
    expect(registry.present(1, '2026-000001').map((p) => p.name)).toEqual(['Remo']);
  });
});
