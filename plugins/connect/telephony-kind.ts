/** The token kind of the phone system: one per tenant, beside the monitoring sources, in the same token table. */
export const TELEPHONY_KIND = 'telephony';
