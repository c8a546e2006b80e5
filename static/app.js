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

  // Selects marked data-autosubmit submit their form on change (the language switch).
  document.addEventListener('change', function (event) {
    var target = event.target;
    if (target instanceof HTMLSelectElement && target.hasAttribute('data-autosubmit') && target.form) target.form.requestSubmit();
  });

  // Toasts leave on their own after a while; errors stay until dismissed.
  function scheduleToasts(root) {
    root.querySelectorAll('.toast:not(.toast-error):not([data-timed])').forEach(function (toast) {
      toast.setAttribute('data-timed', '');
      setTimeout(function () { toast.remove(); }, 6000);
    });
  }
  document.addEventListener('DOMContentLoaded', function () {
    document.documentElement.classList.add('js');
    scheduleToasts(document);
  });
  document.addEventListener('htmx:afterSettle', function () { scheduleToasts(document); });

  // Lookup pickers (phone tickets): a hit inside [data-picker] fills the form's fields named by its
  // data-fill-<name> attributes instead of following its link (which is the no-JavaScript path).
  document.addEventListener('click', function (event) {
    var target = event.target;
    if (!(target instanceof Element)) return;
    var picker = target.closest('[data-picker]');
    if (!picker) return;
    var form = picker.closest('form');
    var pick = target.closest('[data-pick]');
    var clear = target.closest('[data-picker-clear]');
    if (!form || (!pick && !clear)) return;
    event.preventDefault();
    var label = picker.querySelector('[data-picked]');
    var clearButton = picker.querySelector('[data-picker-clear]');
    var names = ['requester_id', 'organisation_id'];
    if (pick) {
      names = Array.prototype.filter.call(pick.attributes, function (a) { return a.name.indexOf('data-fill-') === 0; })
        .map(function (a) { return a.name.slice('data-fill-'.length); });
    }
    names.forEach(function (name) {
      var field = form.elements.namedItem(name);
      if (field && 'value' in field) field.value = pick ? pick.getAttribute('data-fill-' + name) || '' : '';
    });
    if (label) label.textContent = pick ? pick.getAttribute('data-label') : label.getAttribute('data-empty') || '';
    if (clearButton) clearButton.hidden = !pick;
    var results = picker.querySelector('.lookup-results');
    if (results) results.innerHTML = '';
    var input = picker.querySelector('input[type=search]');
    if (input && pick) input.value = '';
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
})();
