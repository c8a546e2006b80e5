// Text modules in the reply box (issue 18 point 2): typing "::" and letters offers the matching modules of
// the agent (GET <data-text-modules>?q=, rendered for this ticket); arrows move, Enter or Tab inserts, Escape
// closes, a tap inserts. Without this file the reply box is a plain text field.
(function () {
  'use strict';

  var TRIGGER = /(^|\s)::([\p{L}\p{N}_-]{0,40})$/u;
  var state = { textarea: null, list: null, items: [], active: -1, start: -1, timer: 0, request: 0 };

  function hostOf(textarea) {
    var form = textarea.closest('form');
    return form ? form.querySelector('[data-text-modules]') : null;
  }

  function close() {
    if (state.list) {
      state.list.hidden = true;
      state.list.replaceChildren();
    }
    if (state.textarea) {
      state.textarea.setAttribute('aria-expanded', 'false');
      state.textarea.removeAttribute('aria-activedescendant');
    }
    state.items = [];
    state.active = -1;
  }

  function highlight(index) {
    state.active = index;
    state.items.forEach(function (item, i) { item.setAttribute('aria-selected', i === index ? 'true' : 'false'); });
    var item = state.items[index];
    if (item) {
      state.textarea.setAttribute('aria-activedescendant', item.id);
      item.scrollIntoView({ block: 'nearest' });
    }
  }

  function insert(module) {
    var textarea = state.textarea;
    var end = textarea.selectionStart;
    var value = textarea.value;
    textarea.value = value.slice(0, state.start) + module.text + value.slice(end);
    var caret = state.start + module.text.length;
    textarea.setSelectionRange(caret, caret);
    close();
    textarea.focus();
    // Others listening (a draft saver) learn of the change; the trigger no longer matches after an insert.
    textarea.dispatchEvent(new Event('input', { bubbles: true }));
  }

  function show(host, modules) {
    var list = host.querySelector('[role="listbox"]');
    if (!list) return;
    state.list = list;
    list.replaceChildren();
    state.items = modules.map(function (module, i) {
      var item = document.createElement('li');
      item.id = 'text-module-' + module.id;
      item.className = 'combo-option';
      item.setAttribute('role', 'option');
      var name = document.createElement('strong');
      name.textContent = module.name;
      var keyword = document.createElement('span');
      keyword.className = 'muted';
      keyword.textContent = '::' + module.keyword;
      var preview = document.createElement('span');
      preview.className = 'muted text-module-preview';
      preview.textContent = module.text.length > 90 ? module.text.slice(0, 90) + '…' : module.text;
      item.append(name, keyword, preview);
      // pointerdown keeps the focus in the reply box (a tap on a phone too), click inserts.
      item.addEventListener('pointerdown', function (event) { event.preventDefault(); });
      item.addEventListener('click', function () { insert(module); });
      list.append(item);
      return item;
    });
    if (!modules.length) {
      var empty = document.createElement('li');
      empty.className = 'combo-empty';
      empty.textContent = host.getAttribute('data-text-modules-empty') || '';
      list.append(empty);
    }
    list.hidden = false;
    state.textarea.setAttribute('aria-expanded', 'true');
    state.textarea.setAttribute('aria-controls', list.id);
    if (state.items.length) highlight(0);
  }

  function lookup(textarea) {
    var host = hostOf(textarea);
    if (!host) return;
    var before = textarea.value.slice(0, textarea.selectionStart);
    var match = TRIGGER.exec(before);
    if (!match) { close(); return; }
    state.textarea = textarea;
    state.start = before.length - match[2].length - 2;
    var request = ++state.request;
    var url = host.getAttribute('data-text-modules') + '?q=' + encodeURIComponent(match[2]);
    fetch(url, { headers: { Accept: 'application/json' }, credentials: 'same-origin' })
      .then(function (response) { return response.ok ? response.json() : { modules: [] }; })
      .then(function (data) { if (request === state.request && state.textarea === textarea) show(host, data.modules || []); })
      .catch(function () { close(); });
  }

  document.addEventListener('input', function (event) {
    var target = event.target;
    if (!(target instanceof HTMLTextAreaElement) || !hostOf(target)) return;
    clearTimeout(state.timer);
    state.timer = setTimeout(function () { lookup(target); }, 120);
  });

  document.addEventListener('keydown', function (event) {
    if (event.target !== state.textarea || !state.list || state.list.hidden) return;
    if (event.key === 'Escape') { event.preventDefault(); close(); return; }
    if (!state.items.length) return;
    if (event.key === 'ArrowDown') { event.preventDefault(); highlight((state.active + 1) % state.items.length); }
    else if (event.key === 'ArrowUp') { event.preventDefault(); highlight((state.active - 1 + state.items.length) % state.items.length); }
    else if ((event.key === 'Enter' || event.key === 'Tab') && state.active >= 0) { event.preventDefault(); state.items[state.active].click(); }
  });

  document.addEventListener('focusout', function (event) {
    if (event.target === state.textarea) setTimeout(function () { if (document.activeElement !== state.textarea) close(); }, 150);
  });
})();
