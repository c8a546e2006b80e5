// The knowledge panel's enhancements on the ticket page; the page works without this file.
// "Insert into reply" puts an entry's answer into the reply box (the server counts the use), and typing
// "??" followed by words in the reply box shows the same search as you type.
(function () {
  'use strict';
  var panel = document.getElementById('knowledge-ticket-panel');
  if (!panel || panel.dataset.knowledgeReady) return;
  panel.dataset.knowledgeReady = '1';
  var box = function () { return document.getElementById('f-body'); };
  var popup = null;
  var pending = null;

  function reveal(root) {
    root.querySelectorAll('[data-knowledge-insert]').forEach(function (button) { button.hidden = false; });
  }
  reveal(document);
  document.body.addEventListener('htmx:afterSwap', function (event) { reveal(event.target); });

  /** Asks for the entry's text (counting the use) and puts it at the caret, or instead of the "??words" typed. */
  function insert(url, replace) {
    return fetch(url, { method: 'POST', credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        var textarea = box();
        if (!data || !textarea) return;
        var value = textarea.value;
        var start = replace ? replace.start : textarea.selectionStart;
        var end = replace ? replace.end : textarea.selectionEnd;
        var before = value.slice(0, start);
        var text = (before && !/\n$/.test(before) ? '\n' : '') + data.text + '\n';
        textarea.value = before + text + value.slice(end);
        textarea.selectionStart = textarea.selectionEnd = before.length + text.length;
        textarea.focus();
        textarea.dispatchEvent(new Event('input', { bubbles: true }));
        closePopup();
      });
  }

  document.addEventListener('click', function (event) {
    var button = event.target.closest && event.target.closest('[data-knowledge-insert]');
    if (!button) return;
    event.preventDefault();
    insert(button.getAttribute('data-knowledge-insert'), popup && popup.contains(button) ? pending : null);
  });

  function closePopup() {
    if (popup) popup.remove();
    popup = null;
    pending = null;
  }

  var timer = null;
  document.addEventListener('input', function (event) {
    var textarea = box();
    if (event.target !== textarea) return;
    var upto = textarea.value.slice(0, textarea.selectionStart);
    var match = /\?\?([^\n?]{2,80})$/.exec(upto);
    if (!match) { closePopup(); return; }
    pending = { start: upto.length - match[0].length, end: upto.length };
    clearTimeout(timer);
    timer = setTimeout(function () {
      var url = panel.getAttribute('data-knowledge-suggest') + '?q=' + encodeURIComponent(match[1]);
      fetch(url, { credentials: 'same-origin', headers: { 'HX-Request': 'true' } })
        .then(function (response) { return response.ok ? response.text() : ''; })
        .then(function (html) {
          if (!pending) return;
          if (!popup) {
            popup = document.createElement('div');
            popup.id = 'knowledge-typeahead';
            popup.className = 'card knowledge-typeahead';
            popup.setAttribute('role', 'listbox');
            textarea.insertAdjacentElement('afterend', popup);
          }
          // The server's fragment: rendered by JSX, every text in it escaped.
          popup.innerHTML = html;
          reveal(popup);
        });
    }, 200);
  });

  document.addEventListener('keydown', function (event) {
    if (event.key === 'Escape' && popup) closePopup();
  });
})();
