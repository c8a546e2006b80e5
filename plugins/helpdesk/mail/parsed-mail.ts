/** What the parser worker hands back for one raw message. */
export interface ParsedAttachment {
  filename: string;
  contentType: string;
  contentId: string | null;
  /** Shown inside the HTML (cid:) rather than offered as a file. */
  inline: boolean;
  bytes: Uint8Array;
}

export interface DeliveryReport {
  /** The Message-ID of the mail that could not be delivered, when the report quotes it. */
  originalMessageId: string | null;
  /** Per recipient: address and status line, for the note on the ticket. */
  summary: string;
}

export interface ParsedMail {
  messageId: string | null;
  inReplyTo: string | null;
  references: string[];
  subject: string;
  from: { address: string; name: string } | null;
  replyTo: string | null;
  to: string[];
  date: string | null;
  /** Lower-case header names, the headers loop detection reads (first value each). */
  headers: Record<string, string>;
  text: string;
  /** Already sanitized (html-safety.ts). */
  html: string | null;
  attachments: ParsedAttachment[];
  report: DeliveryReport | null;
}
