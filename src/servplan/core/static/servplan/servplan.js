// One rule for every HTMX save: nothing looks saved unless the server stored it, and nothing
// typed is dropped. A save the server could not take (session gone: 401; a stale page: the
// X-Servplan-Unsaved header; 5xx; no connection) keeps the value in its field, marks the
// field 未儲存 and says what to do, with a 「重新儲存」 button. The typed values are kept in
// sessionStorage too, so after following the login link back to the page they are filled in
// again and re-sent (with the version they were typed on: a newer save in between is a 409).
// Domain answers (400/403/409) are swapped as they are: they name the refusal or newer value.
// A static file with listeners only: the Content-Security-Policy allows no inline script.
(function () {
  "use strict";

  var STORE = "servplan.unsaved";
  var FIELDS = "input[hx-post], textarea[hx-post], select[hx-post]";

  function page() {
    return location.pathname + location.search;
  }

  function load() {
    try {
      return JSON.parse(sessionStorage.getItem(STORE)) || {};
    } catch (e) {
      return {};
    }
  }

  function keep(all) {
    try {
      sessionStorage.setItem(STORE, JSON.stringify(all));
    } catch (e) {
      // storage full or refused: the value still stays in the field on this page
    }
  }

  // A field's hx-include and hx-target may be set on an element around it (a plan's practice
  // row sets them once for all its fields), as htmx inherits them.
  function inherited(field, name) {
    var holder = field.closest("[" + name + "]");
    return holder ? holder.getAttribute(name) : null;
  }

  function rowFields(field) {
    var include = inherited(field, "hx-include");
    var found = include ? document.querySelectorAll(include) : [field];
    // The row holds the evidence forms too: their token and file input are not the save's.
    return Array.prototype.filter.call(found, function (el) {
      return el.name && el.name !== "csrfmiddlewaretoken" && el.type !== "file";
    });
  }

  // A checkbox (several share a name: the 承辦部門 of a plan's practice) is kept by name and
  // value, as checked or not; any other field by name, as its value.
  function isBox(el) {
    return el.type === "checkbox" || el.type === "radio";
  }

  function keyOf(el) {
    return isBox(el) ? el.name + "=" + el.value : el.name;
  }

  function remember(field) {
    var all = load();
    var here = all[page()] || {};
    var values = {};
    rowFields(field).forEach(function (el) {
      values[keyOf(el)] = isBox(el) ? el.checked : el.value;
    });
    here[field.getAttribute("hx-post")] = { field: field.name, values: values };
    all[page()] = here;
    keep(all);
  }

  function forget(field) {
    var all = load();
    var here = all[page()];
    if (here && here[field.getAttribute("hx-post")]) {
      delete here[field.getAttribute("hx-post")];
      if (!Object.keys(here).length) delete all[page()];
      keep(all);
    }
  }

  function resend(field) {
    htmx.ajax("POST", field.getAttribute("hx-post"), { source: field });
  }

  function sameRow(field) {
    var holder = field.closest("[hx-target]");
    if (!holder) return [field];
    if (holder !== field) return holder.querySelectorAll(FIELDS);
    var target = holder.getAttribute("hx-target");
    return document.querySelectorAll('[hx-target="' + CSS.escape(target) + '"]');
  }

  function noteFor(why) {
    var note = document.createElement("div");
    note.className = "unsaved-note";
    var badge = document.createElement("strong");
    badge.className = "unsaved-badge";
    badge.textContent = "未儲存";
    note.appendChild(badge);
    if (typeof why === "string") {
      var text = document.createElement("p");
      text.className = "error cell-error";
      text.setAttribute("role", "alert");
      text.textContent = why;
      note.appendChild(text);
    } else {
      note.appendChild(why);
    }
    return note;
  }

  // The field's message area says 未儲存, why, and offers to send it again.
  function markUnsaved(field, area, why) {
    field.classList.add("unsaved");
    if (area && area.id && !field.hasAttribute("aria-describedby")) {
      field.setAttribute("aria-describedby", area.id);
    }
    remember(field);
    if (!area) return;
    var note = noteFor(why);
    var again = document.createElement("button");
    again.type = "button";
    again.className = "small resave";
    again.textContent = "重新儲存";
    again.addEventListener("click", function () {
      resend(field);
    });
    note.appendChild(again);
    area.replaceChildren(note);
  }

  // Not a save (the 「載入最新內容」 button in a message area, a plan's 上移 or 新增 button):
  // say why nothing happened, in the message area it sits in or beside.
  function tell(elt, why) {
    if (!elt || !elt.closest) return;
    var area = elt.closest(".cell-msg");
    if (area) {
      area.replaceChildren(noteFor(why), elt);
      return;
    }
    var block = elt.closest("form, details, td, .strategy-edit");
    area = block && block.querySelector(".cell-msg");
    if (area) area.replaceChildren(noteFor(why));
  }

  function saved(field) {
    sameRow(field).forEach(function (el) {
      el.classList.remove("unsaved");
    });
  }

  function serverNote(xhr) {
    var box = document.createElement("div");
    box.innerHTML = xhr.responseText; // our own fragment (core/_unsaved.html)
    return box;
  }

  function savingField(detail) {
    var elt = detail.requestConfig && detail.requestConfig.elt;
    return elt && elt.matches && elt.matches(FIELDS) ? elt : null;
  }

  // A re-login (here or in another tab) rotates the CSRF token: send the cookie's current one.
  document.addEventListener("htmx:configRequest", function (e) {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (!match) return;
    var token = decodeURIComponent(match[1]);
    e.detail.headers["X-CSRFToken"] = token;
    // Django reads a posted token before the header (the row includes the evidence forms').
    if (e.detail.parameters.has && e.detail.parameters.has("csrfmiddlewaretoken")) {
      e.detail.parameters.set("csrfmiddlewaretoken", token);
    }
  });

  function failure(xhr) {
    if (xhr.getResponseHeader("X-Servplan-Unsaved")) return serverNote(xhr);
    return xhr.status >= 500
      ? "伺服器發生錯誤（" + xhr.status + "），輸入的內容仍在欄位中，請稍後按「重新儲存」。"
      : "伺服器無法處理（" + xhr.status + "），輸入的內容仍在欄位中，請重新載入此頁後再儲存。";
  }

  var OFFLINE = "無法連線到伺服器，輸入的內容仍在欄位中；連線恢復後請按「重新儲存」。";

  document.addEventListener("htmx:beforeSwap", function (e) {
    var xhr = e.detail.xhr;
    var failed = e.detail.isError || xhr.getResponseHeader("X-Servplan-Unsaved");
    if (failed) e.detail.shouldSwap = false;
    var field = savingField(e.detail);
    if (!field) {
      if (failed) {
        tell(
          e.detail.requestConfig && e.detail.requestConfig.elt,
          xhr.getResponseHeader("X-Servplan-Unsaved")
            ? serverNote(xhr)
            : "未能載入（" + xhr.status + "），請稍後再試。"
        );
      }
      return;
    }
    if (failed) {
      markUnsaved(field, e.detail.target, failure(xhr));
    } else {
      // The server answered: stored (2xx) or refused in words (400/403/409).
      forget(field);
      if (xhr.status < 300) saved(field);
    }
  });

  document.addEventListener("htmx:sendError", function (e) {
    var field = savingField(e.detail);
    if (field) markUnsaved(field, e.detail.target, OFFLINE);
    else tell(e.detail.requestConfig && e.detail.requestConfig.elt, "無法連線到伺服器，請稍後再試。");
  });

  // Back on the page (after logging in again): fill in what was not stored and send it again.
  function restore() {
    var all = load();
    var here = all[page()];
    if (!here) return;
    delete all[page()];
    keep(all);
    Object.keys(here).forEach(function (post) {
      var entry = here[post];
      var field = document.querySelector(
        '[hx-post="' + CSS.escape(post) + '"][name="' + CSS.escape(entry.field) + '"]'
      );
      if (!field) return; // no longer editable here: nothing to send it to
      rowFields(field).forEach(function (el) {
        var key = keyOf(el);
        if (!Object.prototype.hasOwnProperty.call(entry.values, key)) return;
        if (isBox(el)) el.checked = !!entry.values[key];
        else el.value = entry.values[key];
      });
      field.classList.add("unsaved");
      remember(field);
      resend(field);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", restore);
  } else {
    restore();
  }
})();
