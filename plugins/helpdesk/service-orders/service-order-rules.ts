/** Service orders: the kinds of work, their lifecycle and how times are entered and shown. */

export const SERVICE_ORDER_TYPES = ['on_site', 'repair', 'installation', 'remote', 'other'] as const;
export type ServiceOrderType = (typeof SERVICE_ORDER_TYPES)[number];

export const SERVICE_ORDER_STATUSES = ['planned', 'in_progress', 'done', 'cancelled'] as const;
export type ServiceOrderStatus = (typeof SERVICE_ORDER_STATUSES)[number];

/** planned → in progress → done; cancelled from either open state. done and cancelled are final. */
const TRANSITIONS: Record<ServiceOrderStatus, readonly ServiceOrderStatus[]> = {
  planned: ['in_progress', 'cancelled'],
  in_progress: ['done', 'cancelled'],
  done: [],
  cancelled: [],
};

export function serviceOrderTransitions(from: ServiceOrderStatus): readonly ServiceOrderStatus[] {
  return TRANSITIONS[from];
}

export const isFinal = (status: ServiceOrderStatus) => TRANSITIONS[status].length === 0;

/** The most time one order may record (999 hours): beyond that it is a typing error. */
export const MAX_MINUTES = 999 * 60 + 59;

/** "1:30", "0:05" or plain minutes ("90") to minutes; '' is null; anything else undefined (invalid). */
export function parseDuration(input: string): number | null | undefined {
  const text = input.trim();
  if (text === '') return null;
  let minutes: number;
  const clock = /^(\d{1,3}):([0-5]\d)$/.exec(text);
  if (clock) minutes = Number(clock[1]) * 60 + Number(clock[2]);
  else if (/^\d{1,5}$/.test(text)) minutes = Number(text);
  else return undefined;
  return minutes <= MAX_MINUTES ? minutes : undefined;
}

/** Minutes as h:mm. */
export function formatDuration(minutes: number | null | undefined): string {
  if (minutes === null || minutes === undefined) return '';
  return `${Math.floor(minutes / 60)}:${String(minutes % 60).padStart(2, '0')}`;
}

// Planned times are typed and shown in the tenant's zone: core's zonedToIso/isoToZoned and
// zonedDayStart/zonedDayEnd (core/i18n/time-zone.ts) convert them, DST included.
