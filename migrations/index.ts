import type { Migration } from 'kysely';
import * as core0001 from './0001-core.js';
import * as core0002 from './0002-ticket-count-indexes.js';
import * as core0003 from './0003-ticket-workspace.js';
import * as core0004 from './0004-ticket-indexes.js';
import * as core0005 from './0005-tenant-time-zone.js';
import * as core0006 from './0006-organisation-search-index.js';
import * as core0007 from './0007-mail-outbox-attachments.js';
import * as core0008 from './0008-record-ticket-indexes.js';
import * as core0009 from './0009-several-instances.js';
import * as core0010 from './0010-timeline.js';
import * as core0011 from './0011-ticket-merge.js';
import * as core0012 from './0012-hotline-statistics.js';
import * as core0013 from './0013-licence-seats.js';
import * as core0014 from './0014-kpi-facts.js';
import * as core0015 from './0015-support-directory.js';
import * as core0016 from './0016-ticket-counters.js';
import * as core0017 from './0017-phone-lookup.js';
import * as core0018 from './0018-record-fields.js';
import * as core0019 from './0019-short-links.js';
import * as core0021 from './0021-text-modules.js';
import * as core0021b from './0021b-signatures.js';
import * as core0021c from './0021c-time-spent.js';
import * as core0026 from './0026-notification-language.js';
import * as core0027 from './0027-search-vocab.js';
import * as core0022 from './0022-reply-drafts.js';
import * as core0024 from './0024-waiting-until.js';
import * as core0024b from './0024b-todos.js';
import * as core0025 from './0025-ticket-links.js';
import * as core0025b from './0025b-ticket-tags.js';
import * as core0020 from './0020-ticket-version.js';

/** Core migrations in order; names never change once released. */
export const coreMigrations: Record<string, Migration> = {
  '0001-core': core0001,
  '0002-ticket-count-indexes': core0002,
  '0003-ticket-workspace': core0003,
  '0004-ticket-indexes': core0004,
  '0005-tenant-time-zone': core0005,
  '0006-organisation-search-index': core0006,
  '0007-mail-outbox-attachments': core0007,
  '0008-record-ticket-indexes': core0008,
  '0009-several-instances': core0009,
  '0010-timeline': core0010,
  '0011-ticket-merge': core0011,
  '0012-hotline-statistics': core0012,
  '0013-licence-seats': core0013,
  '0014-kpi-facts': core0014,
  '0015-support-directory': core0015,
  '0016-ticket-counters': core0016,
  '0017-phone-lookup': core0017,
  '0018-record-fields': core0018,
  '0019-short-links': core0019,
  '0021-text-modules': core0021,
  '0021b-signatures': core0021b,
  '0021c-time-spent': core0021c,
  '0026-notification-language': core0026,
  '0027-search-vocab': core0027,
  '0022-reply-drafts': core0022,
  '0024-waiting-until': core0024,
  '0024b-todos': core0024b,
  '0025-ticket-links': core0025,
  '0025b-ticket-tags': core0025b,
  '0020-ticket-version': core0020,
};
