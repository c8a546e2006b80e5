import type { MonitoringEvent, SourceKind } from './monitoring-event.js';
import { parseAlertmanager } from './parse-alertmanager.js';
import { parseCheckmk } from './parse-checkmk.js';
import { parseGeneric } from './parse-generic.js';
import { parseIcinga } from './parse-icinga.js';
import { parseNagios } from './parse-nagios.js';

type Parser = (body: string, contentType: string, now: Date) => MonitoringEvent[];
const PARSERS: Readonly<Record<SourceKind, Parser>> = {
  nagios: parseNagios, icinga: parseIcinga, checkmk: parseCheckmk, prometheus: parseAlertmanager, generic: parseGeneric,
};

/** The body read as its source writes it; throws PayloadError (a field and a message key) when it cannot be. */
export function parsePayload(kind: SourceKind, body: string, contentType: string, now: Date): MonitoringEvent[] {
  return PARSERS[kind](body, contentType, now);
}
