/* Jixiao's own page script (served by the app: the CSP allows no inline script).
 *
 * Inline saves (grid cells, the self-assessment, manual entry of actuals) answer a refused save
 * with the cell again — the user's input kept, the refusal in the page's language — and a 4xx
 * status. htmx does not swap 4xx answers by default, which left the refused value on screen as
 * if saved; here an answer to a request from inside a cell (td.cell) is swapped whatever its
 * status, and a failure with no cell to show (a lost connection, a server error) marks the cell
 * as not saved.
 */
(function () {
  "use strict";

  function cellOf(event) {
    var elt = event.detail && (event.detail.elt || (event.detail.requestConfig || {}).elt);
    return elt && elt.closest ? elt.closest("td.cell") : null;
  }

  function notSaved(cell) {
    var zh = (document.documentElement.lang || "zh").indexOf("en") !== 0;
    var text = zh
      ? "未保存：服务器没有接受这次保存。请检查网络后刷新页面重试。"
      : "Not saved: the server did not accept this save. Check the connection, reload the page and try again.";
    var saved = cell.querySelectorAll("small");
    for (var i = 0; i < saved.length; i++) saved[i].remove();
    var note = document.createElement("small");
    note.className = "error";
    note.setAttribute("role", "alert");
    note.textContent = text;
    cell.classList.remove("saved");
    cell.classList.add("error");
    cell.appendChild(note);
  }

  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr ? event.detail.xhr.status : 0;
    if (status < 400 || !cellOf(event)) return;
    var body = event.detail.serverResponse || "";
    if (status < 500 && body.indexOf("cell") !== -1 && body.indexOf("<td") !== -1) {
      event.detail.shouldSwap = true; // the server's cell: the input kept, the refusal shown
      event.detail.isError = false;
    } else {
      event.detail.shouldSwap = false;
      notSaved(cellOf(event));
    }
  });

  document.addEventListener("htmx:sendError", function (event) {
    var cell = cellOf(event);
    if (cell) notSaved(cell);
  });
})();
