import { describe, expect, it } from 'vitest';
import { renderMacro, unknownPlaceholders } from './macro-template.js';

describe('macro templates', () => {
  const values = {
    'ticket.number': '2026-000042', 'ticket.subject': 'Printer jams', 'ticket.status': 'Open', 'ticket.priority': 'High',
    'requester.name': 'Rita Ruf', 'requester.email': 'rita@acme.test', 'organisation.name': 'ACME', 'agent.name': 'Anna', 'tenant.name': 'Service GmbH',
  };

  it('fills every known placeholder, with or without inner spaces', () => {
    expect(renderMacro('Hello {{requester.name}} ({{ requester.email }}), re {{ticket.number}} "{{ticket.subject}}" [{{ticket.status}}/{{ticket.priority}}] for {{organisation.name}}. {{agent.name}}, {{tenant.name}}', values))
      .toBe('Hello Rita Ruf (rita@acme.test), re 2026-000042 "Printer jams" [Open/High] for ACME. Anna, Service GmbH');
  });

  it('leaves unknown placeholders visible and empties known ones without a value', () => {
    expect(renderMacro('Dear {{requester.nmae}}, {{organisation.name}}|{{ticket.subject}}', { 'ticket.subject': 'X' })).toBe('Dear {{requester.nmae}}, |X');
    expect(unknownPlaceholders('{{requester.nmae}} {{ticket.number}} {{foo.bar}} {{foo.bar}}')).toEqual(['requester.nmae', 'foo.bar']);
  });

  it('does not re-expand placeholders that come from the values', () => {
    expect(renderMacro('{{ticket.subject}}', { 'ticket.subject': '{{agent.name}}', 'agent.name': 'Anna' })).toBe('{{agent.name}}');
    expect(renderMacro('no placeholders {{ }} {single}', values)).toBe('no placeholders {{ }} {single}');
  });
});
