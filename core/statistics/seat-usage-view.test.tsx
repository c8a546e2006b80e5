import { describe, expect, it } from 'vitest';
import { createCatalog } from '../i18n/translate.js';
import { seatMessages } from '../auth/seat-messages.js';
import type { SeatUsage } from '../auth/licence-seats.js';
import { SeatUsageRows } from './seat-usage-view.js';

const usage = (input: Partial<SeatUsage>): SeatUsage => ({ tenantId: 1, agentSeats: null, portalSeats: null, portalPolicy: 'refuse', windowMinutes: 15, agents: 0, portal: 0, ...input });

describe('seat usage rows', () => {
  const catalog = createCatalog([seatMessages]);
  const html = (value: SeatUsage, locale: 'en' | 'de' = 'en') => String(<SeatUsageRows t={catalog.translator(locale)} usage={value} idPrefix="s" />);

  it('colours each kind by its own limit: amber from 90 %, red at the limit, none without one', () => {
    const out = html(usage({ agentSeats: 10, agents: 9, portalSeats: 4, portal: 4 }));
    expect(out).toContain('id="s-agents" data-level="warn"');
    expect(out).toContain('class="seat-meter seat-warn"');
    expect(out).toContain('Almost full (90 % or more).');
    expect(out).toContain('id="s-portal" data-level="full"');
    expect(out).toContain('At the limit: further sign-ins are refused.');
    expect(html(usage({ agents: 7 }))).toContain('7 (no limit)');
  });

  it('says what the excess means under each portal policy, in both languages', () => {
    expect(html(usage({ portalSeats: 2, portal: 5 }))).toContain('3 above the limit: nobody is signed out');
    expect(html(usage({ portalSeats: 2, portal: 5, portalPolicy: 'warn' }))).toContain('3 above the limit: the tenant lets further portal users in');
    expect(html(usage({ portalSeats: 2, portal: 2, portalPolicy: 'warn' }))).toContain('further portal sign-ins are let in');
    expect(html(usage({ agentSeats: 2, agents: 4 }), 'de')).toContain('2 über der Grenze: niemand wird abgemeldet');
  });
});
