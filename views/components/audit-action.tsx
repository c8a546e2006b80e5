import type { Translate } from '../../core/i18n/translate.js';
import { auditActionLabel } from '../../core/audit/audit-actions.js';

/** An audit action as a readable label with its code kept visible (admins search and filter by it); unknown codes show as the code alone. */
export function AuditAction({ action, t }: { action: string; t: Translate }) {
  const label = auditActionLabel(t, action);
  if (label === null) return <code class="audit-action-code">{action}</code>;
  return <span class="audit-action" title={action}>{label} <code class="audit-action-code muted">{action}</code></span>;
}
