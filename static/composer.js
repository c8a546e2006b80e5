// The reply composer on the ticket page (core/routes/desk/reply-composer.tsx): markdown toolbar, Write/Preview,
// quoting the last message, files by drag and drop or pasted screenshots into the draft, and a warning before
// leaving with text not yet saved. Autosave and the preview are htmx; without this file the form still works.
(function () {
  'use strict';

  function composerOf(node) {
    return node instanceof Element ? node.closest('form[data-composer]') : null;
  }
  function bodyOf(form) {
    var field = form.elements.namedItem('body');
    return field instanceof HTMLTextAreaElement ? field : null;
  }
  function changed(area) {
    area.dispatchEvent(new Event('input', { bubbles: true }));
  }

  /** Replaces the selection with before + (selected or placeholder) + after and selects the inner part. */
  function wrap(area, before, after, placeholder) {
    var start = area.selectionStart, end = area.selectionEnd;
    var inner = area.value.slice(start, end) || placeholder;
    area.setRangeText(before + inner + after, start, end, 'end');
    area.setSelectionRange(start + before.length, start + before.length + inner.length);
  }

  /** Prefixes every line the selection touches (numbered: 1., 2., …). */
  function prefixLines(area, prefixOf) {
    var value = area.value;
    var start = value.lastIndexOf('\n', area.selectionStart - 1) + 1;
    var endBreak = value.indexOf('\n', area.selectionEnd);
    var end = endBreak === -1 ? value.length : endBreak;
    var lines = value.slice(start, end).split('\n').map(function (line, i) { return prefixOf(i) + line; });
    var text = lines.join('\n');
    // A list starts on a line of its own, after a blank line when text comes before it.
    var lead = start > 0 && value.slice(Math.max(0, start - 2), start) !== '\n\n' ? '\n' : '';
    area.setRangeText(lead + text, start, end, 'end');
  }

  var TOOLS = {
    bold: function (area) { wrap(area, '**', '**', 'text'); },
    italic: function (area) { wrap(area, '*', '*', 'text'); },
    code: function (area) {
      var selected = area.value.slice(area.selectionStart, area.selectionEnd);
      if (selected.indexOf('\n') !== -1) wrap(area, '```\n', '\n```\n', '');
      else wrap(area, '`', '`', 'code');
    },
    link: function (area, form) {
      var start = area.selectionStart;
      var label = area.value.slice(start, area.selectionEnd) || form.getAttribute('data-link-text') || 'link';
      area.setRangeText('[' + label + '](https://)', start, area.selectionEnd, 'end');
      var url = start + label.length + 3;
      area.setSelectionRange(url, url + 8);
    },
    list: function (area) { prefixLines(area, function () { return '- '; }); },
    numbered: function (area) { prefixLines(area, function (i) { return (i + 1) + '. '; }); },
    quote: function (area) { prefixLines(area, function () { return '> '; }); },
  };

  function showPreview(form, on) {
    var area = bodyOf(form);
    var preview = form.querySelector('#composer-preview');
    if (!area || !preview) return;
    area.hidden = on;
    preview.hidden = !on;
    form.querySelectorAll('.composer-toolbar .tool').forEach(function (tool) { tool.disabled = on; });
    var write = form.querySelector('#composer-write'), tab = form.querySelector('#composer-preview-tab');
    if (write) write.setAttribute('aria-pressed', on ? 'false' : 'true');
    if (tab) tab.setAttribute('aria-pressed', on ? 'true' : 'false');
    if (!on) area.focus();
  }

  function insertQuote(form, button) {
    var area = bodyOf(form);
    var url = button.getAttribute('data-quote-url');
    if (!area || !url) return;
    fetch(url, { credentials: 'same-origin', headers: { 'HX-Request': 'true' } }).then(function (response) {
      return response.status === 200 ? response.text() : '';
    }).then(function (quote) {
      if (!quote) return;
      showPreview(form, false);
      var at = area.selectionStart;
      var before = area.value.slice(0, at);
      var lead = before && !/\n\n$/.test(before) ? (/\n$/.test(before) ? '\n' : '\n\n') : '';
      area.setRangeText(lead + quote, at, area.selectionEnd, 'end');
      changed(area);
      area.focus();
    });
  }

  document.addEventListener('click', function (event) {
    var target = event.target instanceof Element ? event.target : null;
    var form = composerOf(target);
    if (!form || !target) return;
    var tool = target.closest('[data-md]');
    if (tool) {
      var area = bodyOf(form);
      var apply = TOOLS[tool.getAttribute('data-md')];
      if (!area || !apply) return;
      area.focus();
      apply(area, form);
      changed(area);
      return;
    }
    if (target.closest('#composer-preview-tab')) showPreview(form, true);
    else if (target.closest('#composer-write')) showPreview(form, false);
    else if (target.closest('#composer-quote')) insertQuote(form, target.closest('#composer-quote'));
  });

  // Ctrl/Cmd+B and +I in the text.
  document.addEventListener('keydown', function (event) {
    if (!(event.ctrlKey || event.metaKey) || event.altKey || !(event.target instanceof HTMLTextAreaElement)) return;
    var form = composerOf(event.target);
    var key = event.key.toLowerCase();
    if (!form || (key !== 'b' && key !== 'i')) return;
    event.preventDefault();
    TOOLS[key === 'b' ? 'bold' : 'italic'](event.target, form);
    changed(event.target);
  });

  // Files into the draft: each posted to the draft's upload URL; the answer is the new list of the draft's files.
  function pad(n) { return (n < 10 ? '0' : '') + n; }
  function screenshotName(type) {
    var d = new Date();
    var ext = type === 'image/jpeg' ? 'jpg' : type === 'image/gif' ? 'gif' : type === 'image/webp' ? 'webp' : 'png';
    return 'screenshot-' + d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate()) + '-' + pad(d.getHours()) + pad(d.getMinutes()) + pad(d.getSeconds()) + '.' + ext;
  }

  function upload(form, files) {
    var list = form.querySelector('#composer-files');
    var url = list && list.getAttribute('data-upload-url');
    if (!url || !files.length) return;
    var data = new FormData();
    files.forEach(function (file) { data.append('file', file, file.name); });
    form.classList.add('composer-uploading');
    fetch(url, { method: 'POST', body: data, credentials: 'same-origin', headers: { 'HX-Request': 'true' } }).then(function (response) {
      return response.text();
    }).then(function (html) {
      var current = form.querySelector('#composer-files');
      if (!current) return;
      var holder = document.createElement('div');
      holder.innerHTML = html;
      var fresh = holder.querySelector('#composer-files');
      if (!fresh) return;
      current.replaceWith(fresh);
      if (window.htmx) window.htmx.process(fresh);
      // The draft's text is saved with its new file (the autosave's change trigger), so a reload keeps both.
      form.dispatchEvent(new Event('change', { bubbles: true }));
    }).finally(function () { form.classList.remove('composer-uploading'); });
  }

  function dropZone(event) {
    var zone = event.target instanceof Element ? event.target.closest('[data-composer-drop]') : null;
    return zone && event.dataTransfer && Array.prototype.indexOf.call(event.dataTransfer.types, 'Files') !== -1 ? zone : null;
  }
  document.addEventListener('dragover', function (event) {
    var zone = dropZone(event);
    if (!zone) return;
    event.preventDefault();
    zone.classList.add('composer-drop-active');
  });
  document.addEventListener('dragleave', function (event) {
    var zone = event.target instanceof Element ? event.target.closest('[data-composer-drop]') : null;
    if (zone && !(event.relatedTarget instanceof Node && zone.contains(event.relatedTarget))) zone.classList.remove('composer-drop-active');
  });
  document.addEventListener('drop', function (event) {
    var zone = dropZone(event);
    if (!zone) return;
    event.preventDefault();
    zone.classList.remove('composer-drop-active');
    var form = composerOf(zone);
    if (form) upload(form, Array.prototype.slice.call(event.dataTransfer.files));
  });

  // Files chosen with the file field go into the draft too (so a reload keeps them); the field is emptied.
  document.addEventListener('change', function (event) {
    var input = event.target;
    if (!(input instanceof HTMLInputElement) || input.type !== 'file' || input.name !== 'attachments') return;
    var form = composerOf(input);
    if (!form || !input.files || !input.files.length || !form.querySelector('#composer-files')) return;
    upload(form, Array.prototype.slice.call(input.files));
    input.value = '';
  });

  document.addEventListener('paste', function (event) {
    var form = composerOf(event.target);
    var items = event.clipboardData ? Array.prototype.slice.call(event.clipboardData.items || []) : [];
    var images = items.filter(function (item) { return item.kind === 'file' && /^image\//.test(item.type); });
    if (!form || !images.length) return;
    event.preventDefault();
    upload(form, images.map(function (item) {
      var blob = item.getAsFile();
      return new File([blob], screenshotName(item.type), { type: item.type });
    }).filter(function (file) { return file.size > 0; }));
  });

  // Unsaved text: typed since the last autosave answered. Sending, or a saved draft, clears it.
  document.addEventListener('input', function (event) {
    var form = composerOf(event.target);
    if (form) form.setAttribute('data-dirty', '');
  });
  document.addEventListener('submit', function (event) {
    var form = composerOf(event.target);
    if (form) { form.setAttribute('data-sending', ''); form.removeAttribute('data-dirty'); }
  });
  document.addEventListener('htmx:beforeRequest', function (event) {
    var elt = event.detail && event.detail.elt;
    // A draft save that would land after the send (and bring the sent text back as a draft) is not made.
    if (elt instanceof Element && elt.id === 'composer-draft-state') {
      var form = composerOf(elt);
      if (form && form.hasAttribute('data-sending')) event.preventDefault();
    }
  });
  document.addEventListener('htmx:afterRequest', function (event) {
    var elt = event.detail && event.detail.elt;
    if (!(elt instanceof Element) || elt.id !== 'composer-draft-state') return;
    var form = composerOf(elt) || document.querySelector('form[data-composer]');
    if (event.detail.successful && form) form.removeAttribute('data-dirty');
    else if (!event.detail.successful) elt.textContent = elt.getAttribute('data-failed-text') || '';
  });
  window.addEventListener('beforeunload', function (event) {
    var form = document.querySelector('form[data-composer][data-dirty]:not([data-sending])');
    var area = form && bodyOf(form);
    if (!area || !area.value.trim()) return;
    event.preventDefault();
    event.returnValue = form.getAttribute('data-unsaved') || '';
  });
})();
