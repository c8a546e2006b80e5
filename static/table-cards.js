// Tables of the administration and the operator's pages become cards on a phone (static/app.css, .table-cards):
// each cell is labelled with its column's heading (data-label), then the table is marked. Without this script the
// tables stay tables and scroll sideways. Runs on load and after every htmx swap; a table can opt out with
// data-cards="off", and a cell that already has a data-label keeps it.
(function () {
  'use strict';
  function heading(th) {
    return (th.getAttribute('data-label') || th.textContent || '').replace(/\s+/g, ' ').trim();
  }
  function label(root) {
    if (!document.body || !document.body.hasAttribute('data-area')) return;
    var tables = root.querySelectorAll('#main table.table:not(.table-cards):not([data-cards="off"])');
    for (var i = 0; i < tables.length; i++) {
      var table = tables[i];
      var headRow = table.tHead && table.tHead.rows[table.tHead.rows.length - 1];
      if (!headRow) continue;
      var heads = [];
      for (var h = 0; h < headRow.cells.length; h++) {
        for (var span = 0; span < (headRow.cells[h].colSpan || 1); span++) heads.push(heading(headRow.cells[h]));
      }
      for (var b = 0; b < table.tBodies.length; b++) {
        var rows = table.tBodies[b].rows;
        for (var r = 0; r < rows.length; r++) {
          var column = 0;
          for (var c = 0; c < rows[r].cells.length; c++) {
            var cell = rows[r].cells[c];
            if (cell.tagName === 'TD' && !cell.hasAttribute('data-label') && heads[column]) cell.setAttribute('data-label', heads[column]);
            column += cell.colSpan || 1;
          }
        }
      }
      table.classList.add('table-cards');
    }
  }
  document.addEventListener('DOMContentLoaded', function () { label(document); });
  document.addEventListener('htmx:afterSettle', function () { label(document); });
})();
