/* partnermap pages: sortable tables and the print button.
 *
 * A table with data-sortable gets a button in each column heading; a cell's
 * data-sort value (or its text) is what sorts, numbers as numbers.
 */
(function () {
  "use strict";

  function key(cell) {
    var raw = cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.textContent;
    var text = raw.trim();
    var number = Number(text.replace(/,/g, ""));
    return text !== "" && !isNaN(number) ? number : text.toLowerCase();
  }

  function sortBy(table, column, th) {
    var body = table.tBodies[0];
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    var rows = Array.prototype.slice.call(body.rows);
    var keyed = rows.map(function (row, i) { return [key(row.cells[column]), i, row]; });
    keyed.sort(function (a, b) {
      var x = a[0], y = b[0], order = 0;
      if (typeof x === typeof y) order = x < y ? -1 : (x > y ? 1 : 0);
      else order = typeof x === "number" ? -1 : 1;
      return (ascending ? order : -order) || a[1] - b[1];
    });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (cell) {
      cell.removeAttribute("aria-sort");
    });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var fragment = document.createDocumentFragment();
    keyed.forEach(function (k) { fragment.appendChild(k[2]); });
    body.appendChild(fragment);
  }

  Array.prototype.forEach.call(document.querySelectorAll("table[data-sortable]"), function (table) {
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, column) {
      var button = document.createElement("button");
      button.type = "button";
      while (th.firstChild) button.appendChild(th.firstChild);
      button.setAttribute("title", "Sort by this column");
      th.appendChild(button);
      button.addEventListener("click", function () { sortBy(table, column, th); });
    });
  });

  Array.prototype.forEach.call(document.querySelectorAll("[data-print]"), function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
})();
