/**
 * An audit action as a readable label with its code kept visible (admins search and filter by it);
 * an unknown code (its plugin was removed) shows as the code alone. The label comes from the
 * audit action registry (`services.auditActions`).
 */
export function AuditAction({ action, label }: { action: string; label: string | null }) {
  if (label === null) return <code class="audit-action-code">{action}</code>;
  return <span class="audit-action" title={action}>{label} <code class="audit-action-code muted">{action}</code></span>;
}
