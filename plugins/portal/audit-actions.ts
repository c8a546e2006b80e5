/** Every audit action the portal plugin writes; each needs a label `audit.action.<action>` in ./messages.ts. */
export const portalAuditActions = ['portal.registered', 'portal.settings'] as const;
