// The ticket page among colleagues (issue 18 point 1): which forms were touched, keeping them out of live
// refreshes, the marks at fields colleagues changed, and the presence beat. Every page works without this file.
(function () {
  'use strict';

  var FORMS = '#ticket-fields, #ticket-composer, #forward form, .accept-form';

  function presenceForm() { return document.querySelector('form[data-presence]'); }

  // Editing: a form was touched, or the reply box holds text.
  function editing() {
    if (document.querySelector('form[data-touched]')) return true;
    var body = document.querySelector('#ticket-composer textarea[name=body]');
    return !!(body && body.value.trim());
  }
  function syncPresence() {
    var form = presenceForm();
    if (!form) return;
    var state = form.elements.namedItem('state');
    var now = editing() ? 'editing' : 'viewing';
    if (state && state.value !== now) {
      state.value = now;
      document.body.dispatchEvent(new Event('presence-beat'));
    }
  }

  // A user's input marks its form touched; the sidebar also tells the live request (name=touched).
  function touch(event) {
    var target = event.target;
    if (!(target instanceof Element)) return;
    var form = target.closest(FORMS);
    if (!form || form.hasAttribute('data-touched')) { syncPresence(); return; }
    form.setAttribute('data-touched', '');
    if (form.id === 'ticket-fields' && !form.querySelector('input[name=touched]')) {
      var flag = document.createElement('input');
      flag.type = 'hidden';
      flag.name = 'touched';
      flag.value = '1';
      form.appendChild(flag);
    }
    syncPresence();
  }
  document.addEventListener('input', touch);
  document.addEventListener('change', touch);

  // A live refresh never replaces a form someone is typing into: it stays, and its save meets the version check.
  document.addEventListener('htmx:oobBeforeSwap', function (event) {
    var target = event.detail.target;
    if (target instanceof Element && (target.matches('form[data-touched]') || target.querySelector('form[data-touched]'))) event.detail.shouldSwap = false;
  });

  // The marks of a touched sidebar also stand at their fields.
  function placeMarks() {
    var form = document.getElementById('ticket-fields');
    var marks = document.getElementById('ticket-fields-marks');
    if (!form || !marks) return;
    form.querySelectorAll('.field-mark-inline').forEach(function (old) { old.remove(); });
    form.querySelectorAll('.field-changed').forEach(function (old) { old.classList.remove('field-changed'); });
    marks.querySelectorAll('[data-mark-for]').forEach(function (mark) {
      var input = form.querySelector('[name="' + mark.getAttribute('data-mark-for') + '"]');
      var field = input ? input.closest('.field') : null;
      if (!field) return;
      field.classList.add('field-changed');
      var inline = document.createElement('small');
      inline.className = 'field-mark-inline';
      var text = mark.querySelector('.field-mark-text');
      inline.textContent = (text || mark).textContent;
      field.appendChild(inline);
    });
  }
  document.addEventListener('htmx:afterSettle', function () { placeMarks(); syncPresence(); });
  document.addEventListener('DOMContentLoaded', placeMarks);

  // The tab says goodbye when it goes; if that is lost, its presence expires after its last beat.
  window.addEventListener('pagehide', function () {
    var form = presenceForm();
    if (!form || !navigator.sendBeacon) return;
    var data = new FormData();
    data.append('tab', form.elements.namedItem('tab').value);
    data.append('state', 'gone');
    navigator.sendBeacon(form.getAttribute('action'), data);
  });
})();
