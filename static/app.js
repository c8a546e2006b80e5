// Small progressive enhancements; every page works without this file.
(function () {
  'use strict';

  document.addEventListener('click', function (event) {
    var target = event.target;
    if (target instanceof Element && target.closest('[data-dismiss]')) {
      var toast = target.closest('.toast');
      if (toast) toast.remove();
    }
  });

  // Menus folded in <details data-menu> (the user menu) close on a click or tap elsewhere, and on Escape.
  document.addEventListener('click', function (event) {
    document.querySelectorAll('details[data-menu][open]').forEach(function (menu) {
      if (!(event.target instanceof Node) || !menu.contains(event.target)) menu.removeAttribute('open');
    });
  });
  document.addEventListener('keydown', function (event) {
    if (event.key !== 'Escape') return;
    document.querySelectorAll('details[data-menu][open]').forEach(function (menu) {
      var inside = menu.contains(document.activeElement);
      menu.removeAttribute('open');
      var summary = menu.querySelector('summary');
      if (inside && summary) summary.focus();
    });
  });

  // Selects marked data-autosubmit submit their form on change (the language switch).
  document.addEventListener('change', function (event) {
    var target = event.target;
    if (target instanceof HTMLSelectElement && target.hasAttribute('data-autosubmit') && target.form) target.form.requestSubmit();
  });

  // Toasts leave on their own after a while; errors and sticky toasts (notifications) stay until dismissed.
  function scheduleToasts(root) {
    root.querySelectorAll('.toast:not(.toast-error):not(.toast-sticky):not([data-timed])').forEach(function (toast) {
      toast.setAttribute('data-timed', '');
      setTimeout(function () { toast.remove(); }, 6000);
    });
  }
  document.addEventListener('DOMContentLoaded', function () {
    document.documentElement.classList.add('js');
    scheduleToasts(document);
  });
  document.addEventListener('htmx:afterSettle', function () { scheduleToasts(document); });

  // The phone ticket's caller ([data-picker]): its clear button empties the fields a pick filled
  // (picking is the combobox code below: an option's data-fill-<name> attributes name the fields).
  document.addEventListener('click', function (event) {
    var target = event.target;
    if (!(target instanceof Element) || !target.closest('[data-picker-clear]')) return;
    var picker = target.closest('[data-picker]');
    var form = picker ? picker.closest('form') : null;
    if (!form) return;
    event.preventDefault();
    ['requester_id', 'organisation_id'].forEach(function (name) {
      var field = form.elements.namedItem(name);
      if (field && 'value' in field) field.value = '';
    });
    var label = picker.querySelector('[data-picked]');
    if (label) label.textContent = label.getAttribute('data-empty') || '';
    target.closest('[data-picker-clear]').hidden = true;
  });

  // Ticket lists: `/` focuses the search, j/k move a highlighted row, Enter opens it.
  // Rows carry data-ticket-row and data-number; the highlight survives live refreshes.
  var currentTicket = null;
  function isTyping(target) {
    return target instanceof Element && (target.closest('input, textarea, select, [contenteditable=""], [contenteditable="true"]') !== null);
  }
  function ticketRows() { return Array.prototype.slice.call(document.querySelectorAll('[data-ticket-row]')); }
  function markCurrent(rows) {
    rows.forEach(function (row) {
      if (row.getAttribute('data-number') === currentTicket) row.setAttribute('data-current', '');
      else row.removeAttribute('data-current');
    });
  }
  document.addEventListener('keydown', function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) return;
    var rows = ticketRows();
    if (event.key === '/') {
      var search = document.querySelector('#ticket-workspace input[type=search]');
      if (!search) return;
      event.preventDefault();
      // On a phone the filter may be folded behind "Views and filters" (list-tools.tsx): unfold it first.
      var tools = document.getElementById('list-tools-toggle');
      if (tools && !search.offsetParent) tools.checked = true;
      search.focus();
      search.select();
      return;
    }
    if (rows.length === 0) return;
    if (event.key === 'j' || event.key === 'k') {
      var index = -1;
      rows.forEach(function (row, i) { if (row.getAttribute('data-number') === currentTicket) index = i; });
      index = event.key === 'j' ? Math.min(rows.length - 1, index + 1) : Math.max(0, index === -1 ? 0 : index - 1);
      currentTicket = rows[index].getAttribute('data-number');
      markCurrent(rows);
      var link = rows[index].querySelector('a.ticket-link');
      if (link) link.focus({ preventScroll: true });
      rows[index].scrollIntoView({ block: 'nearest' });
      event.preventDefault();
    } else if (event.key === 'Enter') {
      var current = document.querySelector('[data-ticket-row][data-current]');
      // A focused link opens itself; Enter elsewhere opens the highlighted row.
      if (!current || (event.target instanceof Element && event.target.closest('a, button'))) return;
      event.preventDefault();
      window.location.href = current.getAttribute('data-href');
    }
  });
  document.addEventListener('htmx:afterSwap', function () { if (currentTicket) markCurrent(ticketRows()); });

  // Refusals still carry HTML: a 422 form with its field messages, or a message htmx is told
  // (HX-Retarget) to put into the toasts. htmx would drop every 4xx/5xx body otherwise.
  document.addEventListener('htmx:beforeSwap', function (event) {
    var xhr = event.detail.xhr;
    if (xhr.status >= 400 && xhr.responseText) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  // Hotkeys declared in the markup: data-hotkey="r" on a control (a radio is checked), focus
  // moves to the element named by data-hotkey-focus (ticket page: r = reply, n = internal note).
  document.addEventListener('keydown', function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || event.key.length !== 1) return;
    var from = event.target;
    if (from instanceof Element && (from.closest('input, textarea, select, [contenteditable=""], [contenteditable="true"]'))) return;
    var control = document.querySelector('[data-hotkey="' + event.key + '"]');
    if (!/^[a-z]$/.test(event.key) || !control) return;
    event.preventDefault();
    if (control instanceof HTMLInputElement && control.type === 'radio' && !control.checked) {
      control.checked = true;
      control.dispatchEvent(new Event('change', { bubbles: true }));
    }
    var focus = document.getElementById(control.getAttribute('data-hotkey-focus') || '') || control;
    focus.focus();
    if (focus.scrollIntoView) focus.scrollIntoView({ block: 'center' });
  });

  // As-you-type pickers ([data-combo], views/components/picker.tsx): htmx fills the listbox while
  // typing; here the keys (arrows, Enter, Escape), the pick, clearing, and sending only the id.
  // Without this file the text input keeps its name and the server resolves the typed name.
  function comboParts(element) {
    var combo = element instanceof Element ? element.closest('[data-combo]') : null;
    if (!combo) return null;
    var input = combo.querySelector('[data-combo-input]');
    var list = input ? document.getElementById(input.getAttribute('aria-controls')) : null;
    return input && list ? { combo: combo, input: input, list: list, value: combo.querySelector('[data-combo-value]'), clear: combo.querySelector('[data-combo-clear]') } : null;
  }
  function comboOptions(parts) { return Array.prototype.slice.call(parts.list.querySelectorAll('[role=option]:not([aria-disabled=true])')); }
  function comboClose(parts) {
    parts.list.hidden = true;
    parts.list.innerHTML = '';
    parts.input.setAttribute('aria-expanded', 'false');
    parts.input.removeAttribute('aria-activedescendant');
  }
  function comboActivate(parts, option) {
    comboOptions(parts).forEach(function (o) { o.setAttribute('aria-selected', o === option ? 'true' : 'false'); });
    if (option) {
      parts.input.setAttribute('aria-activedescendant', option.id);
      option.scrollIntoView({ block: 'nearest' });
    } else parts.input.removeAttribute('aria-activedescendant');
  }
  // Picks an option: one id into the picker's hidden input, or (data-fill-<name>) several form fields.
  function comboPick(parts, option) {
    var fills = Array.prototype.filter.call(option.attributes, function (a) { return a.name.indexOf('data-fill-') === 0; });
    if (parts.value || fills.length === 0) {
      comboSet(parts, option.getAttribute('data-value') || '', option.getAttribute('data-label') || '');
      return;
    }
    var form = parts.combo.closest('form');
    fills.forEach(function (a) {
      var field = form ? form.elements.namedItem(a.name.slice('data-fill-'.length)) : null;
      if (field && 'value' in field) field.value = a.value;
    });
    var picked = parts.combo.querySelector('[data-picked]');
    if (picked) picked.textContent = option.getAttribute('data-label') || '';
    var clear = parts.combo.querySelector('[data-picker-clear]');
    if (clear) clear.hidden = false;
    parts.input.value = '';
    comboClose(parts);
  }
  function comboSet(parts, value, label) {
    var changed = parts.value && parts.value.value !== value;
    if (parts.value) parts.value.value = value;
    parts.input.value = label;
    parts.input.setAttribute('data-label', label);
    if (parts.clear) parts.clear.hidden = !value;
    comboClose(parts);
    // Forms and fields that react to a choice listen for change on the hidden input (filters, ticket fields).
    if (changed) parts.value.dispatchEvent(new Event('change', { bubbles: true }));
  }
  function initCombos(root) {
    if (!(root instanceof Element || root instanceof Document)) return;
    var inputs = root.querySelectorAll('[data-combo-input][name]');
    Array.prototype.forEach.call(inputs, function (input) { input.removeAttribute('name'); });
    if (root instanceof Element && root.matches('[data-combo-input][name]')) root.removeAttribute('name');
  }
  document.addEventListener('DOMContentLoaded', function () { initCombos(document); });
  document.addEventListener('htmx:load', function (event) { initCombos(event.detail.elt); });
  // The search request sends the typed text as q (the input has no name once this file runs).
  document.addEventListener('htmx:configRequest', function (event) {
    var elt = event.detail.elt;
    if (elt instanceof HTMLInputElement && elt.hasAttribute('data-combo-input')) event.detail.parameters.q = elt.value;
  });
  document.addEventListener('htmx:afterSwap', function (event) {
    var parts = comboParts(event.detail.target);
    if (!parts || event.detail.target !== parts.list) return;
    var open = parts.list.children.length > 0 && document.activeElement === parts.input;
    parts.list.hidden = !open;
    parts.input.setAttribute('aria-expanded', open ? 'true' : 'false');
    parts.input.removeAttribute('aria-activedescendant');
  });
  // Typing is a search, not a choice: keep its change event from reaching forms that submit on change.
  document.addEventListener('change', function (event) {
    if (event.target instanceof Element && event.target.hasAttribute('data-combo-input')) event.stopPropagation();
  }, true);
  document.addEventListener('input', function (event) {
    var parts = comboParts(event.target);
    if (!parts || event.target !== parts.input) return;
    if (parts.input.value.trim() === '') comboClose(parts);
  });
  document.addEventListener('keydown', function (event) {
    var parts = comboParts(event.target);
    if (!parts || event.target !== parts.input) return;
    var options = comboOptions(parts);
    var active = parts.list.querySelector('[aria-selected=true]');
    var index = options.indexOf(active);
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      if (parts.list.hidden) {
        if (options.length === 0) return;
        parts.list.hidden = false;
        parts.input.setAttribute('aria-expanded', 'true');
      }
      event.preventDefault();
      if (options.length === 0) return;
      index = event.key === 'ArrowDown' ? (index + 1) % options.length : (index <= 0 ? options.length - 1 : index - 1);
      comboActivate(parts, options[index]);
    } else if (event.key === 'Enter') {
      // Enter picks the highlighted hit instead of submitting the form.
      if (parts.list.hidden) return;
      event.preventDefault();
      var pick = active || (options.length === 1 ? options[0] : null);
      if (pick) comboPick(parts, pick);
    } else if (event.key === 'Escape') {
      if (parts.list.hidden) return;
      event.preventDefault();
      comboClose(parts);
    }
  });
  // Keep the focus in the input while an option is pressed, so the blur below does not close the list first.
  document.addEventListener('mousedown', function (event) {
    if (event.target instanceof Element && event.target.closest('.combo-list')) event.preventDefault();
  });
  document.addEventListener('click', function (event) {
    var target = event.target;
    if (!(target instanceof Element)) return;
    var parts = comboParts(target);
    if (!parts) return;
    var option = target.closest('[role=option]:not([aria-disabled=true])');
    if (option && parts.list.contains(option)) {
      comboPick(parts, option);
      parts.input.focus();
    } else if (target.closest('[data-combo-clear]')) {
      comboSet(parts, '', '');
      parts.input.focus();
    }
  });
  // Leaving the field: an emptied text clears the choice, any other text shows the chosen name again.
  document.addEventListener('focusout', function (event) {
    var parts = comboParts(event.target);
    if (!parts || event.target !== parts.input) return;
    if (event.relatedTarget instanceof Element && parts.combo.contains(event.relatedTarget)) return;
    // A search-only combobox (the caller lookup) keeps its text; its choice lives elsewhere.
    if (!parts.value) comboClose(parts);
    else if (parts.input.value.trim() === '') comboSet(parts, '', '');
    else {
      parts.input.value = parts.input.getAttribute('data-label') || '';
      comboClose(parts);
    }
  });
  // Bulk actions in the ticket lists: "select all" ticks the page's rows; the ticks survive the list's live
  // refreshes (the rows are swapped, the form beside them stays); the form's summary shows how many are ticked.
  // A ticked ticket a refresh took off the page is not sent (it changed meanwhile).
  var bulkTicked = new Set();
  function bulkSync() {
    var boxes = document.querySelectorAll('input[data-bulk-check]');
    boxes.forEach(function (box) { box.checked = bulkTicked.has(box.value); });
    var all = document.querySelector('input[data-bulk-all]');
    if (all) all.checked = boxes.length > 0 && Array.prototype.every.call(boxes, function (box) { return box.checked; });
    var count = document.querySelector('[data-bulk-count]');
    if (count) { count.textContent = String(bulkTicked.size); count.hidden = bulkTicked.size === 0; }
  }
  document.addEventListener('change', function (event) {
    var target = event.target;
    if (!(target instanceof HTMLInputElement)) return;
    if (target.hasAttribute('data-bulk-all')) {
      document.querySelectorAll('input[data-bulk-check]').forEach(function (box) {
        if (target.checked) bulkTicked.add(box.value); else bulkTicked.delete(box.value);
      });
      bulkSync();
    } else if (target.hasAttribute('data-bulk-check')) {
      if (target.checked) bulkTicked.add(target.value); else bulkTicked.delete(target.value);
      bulkSync();
    }
  });
  document.addEventListener('htmx:afterSwap', bulkSync);
  // After the bulk form's own answer (a summary, not a refusal of the whole) nothing stays ticked.
  document.addEventListener('htmx:afterRequest', function (event) {
    var elt = event.detail && event.detail.elt;
    if (elt instanceof Element && elt.id === 'bulk-form' && event.detail.successful) { bulkTicked.clear(); bulkSync(); }
  });
  // Panels marked data-fold-narrow (the customer context beside a ticket) arrive open; on a phone they fold.
  document.addEventListener('htmx:afterSwap', function () {
    if (!window.matchMedia('(max-width: 760px)').matches) return;
    document.querySelectorAll('details[data-fold-narrow]:not([data-folded])').forEach(function (panel) {
      panel.removeAttribute('open');
      panel.setAttribute('data-folded', '');
    });
  });
})();
