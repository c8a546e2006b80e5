export interface AppEvent {
  tenantId: number;
  type: string;
  data?: Record<string, unknown>;
}

export type EventListener = (event: AppEvent) => void;

/** Carries locally published events to other instances (e.g. PostgreSQL NOTIFY). */
export interface EventTransport {
  send(event: AppEvent): void;
}

/** In-process publish/subscribe for live UI updates; a transport may carry events to other instances. */
export function createEventBus() {
  const listeners = new Map<number, Set<EventListener>>();
  /** Listeners of every tenant's events (in-memory state kept per instance, e.g. presence). */
  const everyTenant = new Set<EventListener>();
  let transport: EventTransport | undefined;
  const deliver = (event: AppEvent) => {
    for (const group of [everyTenant, listeners.get(event.tenantId)]) {
      for (const listener of group ?? []) {
        try {
          listener(event);
        } catch {
          // One broken subscriber must not stop the others.
        }
      }
    }
  };
  return {
    publish(event: AppEvent): void {
      deliver(event);
      transport?.send(event);
    },
    /** For a transport: an event that came from another instance. */
    deliverRemote(event: AppEvent): void {
      deliver(event);
    },
    subscribe(tenantId: number, listener: EventListener): () => void {
      if (!listeners.has(tenantId)) listeners.set(tenantId, new Set());
      listeners.get(tenantId)!.add(listener);
      return () => {
        listeners.get(tenantId)?.delete(listener);
      };
    },
    /** Every tenant's events, local and remote; returns the unsubscribe function. */
    subscribeAll(listener: EventListener): () => void {
      everyTenant.add(listener);
      return () => {
        everyTenant.delete(listener);
      };
    },
    /** Sends every later publish through the transport too; returns the detach function. */
    attachTransport(next: EventTransport): () => void {
      if (transport) throw new Error('the event bus already has a transport');
      transport = next;
      return () => {
        if (transport === next) transport = undefined;
      };
    },
    listenerCount(tenantId: number): number {
      return listeners.get(tenantId)?.size ?? 0;
    },
  };
}
export type EventBus = ReturnType<typeof createEventBus>;
