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
})();
