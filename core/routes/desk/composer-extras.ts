import type { ReplyDraft } from '../../tickets/reply-drafts.js';

/** What the ticket page's composer knows besides the ticket: the agent's draft and whether replies are mailed (CC/BCC). */
export interface ComposerExtras { draft?: ReplyDraft | undefined; mails: boolean }
