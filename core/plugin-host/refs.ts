/**
 * Typed references for the plugin seams. An event, a slot or an extension point is made once,
 * in a published file (core's `events.ts`/`slots.ts` modules, a plugin's `extension-points.ts`),
 * and everything that hooks into it imports that constant: a misspelt name cannot compile, and
 * the payload, the slot's props and the implementation are checked against the declared type.
 */

// Phantom members carry the type parameter; they never exist at run time. A function type in
// both positions makes each reference invariant, so `EventRef<A>` is never an `EventRef<B>`.
declare const eventPayload: unique symbol;
declare const slotProps: unique symbol;
declare const pointImplementation: unique symbol;

/** An event's data; every event belongs to one tenant, whose enabled plugins decide who hears it. */
export interface EventPayload { tenantId: number }

export interface EventRef<P extends EventPayload> {
  readonly kind: 'event';
  readonly name: string;
  readonly [eventPayload]?: (payload: P) => P;
}

export interface SlotRef<Props> {
  readonly kind: 'slot';
  readonly name: string;
  readonly [slotProps]?: (props: Props) => Props;
}

export interface ExtensionPointRef<Impl> {
  readonly kind: 'extensionPoint';
  readonly name: string;
  /** The plugin that publishes it (its providers must name it in `dependsOn` or `enhances`); null for the core's. */
  readonly owner: string | null;
  readonly [pointImplementation]?: (implementation: Impl) => Impl;
}

/** The payload type of an event reference. */
export type PayloadOf<R> = R extends EventRef<infer P> ? P : never;
/** The props type of a slot reference. */
export type PropsOf<R> = R extends SlotRef<infer P> ? P : never;
/** The implementation type of an extension point reference. */
export type ImplementationOf<R> = R extends ExtensionPointRef<infer I> ? I : never;

const NAME = /^[a-z][a-zA-Z0-9]*(?:[._-][a-zA-Z0-9]+)+$/;

function checkedName(kind: string, name: string): string {
  if (!NAME.test(name)) throw new Error(`${kind} name "${name}" must be dotted, e.g. "ticket.created" or "portal.knowledgeSuggestions"`);
  return name;
}

/** An event plugins hook with `api.on` (after commit) or `api.filter` (inside the transaction). */
export function defineEvent<P extends EventPayload>(name: string): EventRef<P> {
  return Object.freeze({ kind: 'event' as const, name: checkedName('event', name) });
}

/** A place on a page where enabled plugins render views (`api.slot`), given `Props` by the page. */
export function defineSlot<Props>(name: string): SlotRef<Props> {
  return Object.freeze({ kind: 'slot' as const, name: checkedName('slot', name) });
}

/**
 * Something other plugins implement (`api.provide`) and the owner looks up. The owner is the
 * name's first segment (`portal.knowledgeSuggestions` belongs to the portal plugin); the core's
 * own points start with `core.`.
 */
export function defineExtensionPoint<Impl>(name: string): ExtensionPointRef<Impl> {
  const owner = checkedName('extension point', name).split('.')[0]!;
  return Object.freeze({ kind: 'extensionPoint' as const, name, owner: owner === 'core' ? null : owner });
}
