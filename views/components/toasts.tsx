import type { Translate } from '../../core/i18n/translate.js';

export interface Toast { kind: 'success' | 'error' | 'info'; text: string }

/** The toast region; with `oob` it replaces the page's region out-of-band in an htmx response. */
export function Toasts(props: { toasts: Toast[]; t: Translate; oob?: boolean }) {
  return (
    <div id="toasts" class="toasts" role="status" aria-live="polite" {...(props.oob ? { 'hx-swap-oob': 'true' } : {})}>
      {props.toasts.map((toast) => (
        <div class={`toast toast-${toast.kind}`}>
          <span>{toast.text}</span>
          <button type="button" class="toast-close" data-dismiss aria-label={props.t('toast.close')}>×</button>
        </div>
      ))}
    </div>
  );
}
