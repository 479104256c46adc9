// steungroep: small, CSP-safe behaviour. No inline scripts anywhere.
(function () {
  "use strict";

  var DRAFT_PREFIX = "steungroep-draft:";

  // "Scherm leeg": one tap blanks the screen, another tap brings it back.
  function toggleBlank() {
    var overlay = document.querySelector("[data-blank-overlay]");
    if (!overlay) return;
    overlay.hidden = !overlay.hidden;
    document.body.classList.toggle("is-blank", !overlay.hidden);
  }

  // Idle lock: after the configured minutes without input, go to the lock page. While the
  // page is in use, a light request now and then tells the server it is (the server locks
  // a session that sent nothing for that long).
  function startIdleLock() {
    var minutes = parseFloat(document.body.dataset.idleMinutes || "0");
    var lockUrl = document.body.dataset.lockUrl;
    var aliveUrl = document.body.dataset.aliveUrl;
    if (!minutes || !lockUrl) return;
    var timer, lastPing = Date.now();
    function reset() {
      clearTimeout(timer);
      timer = setTimeout(function () {
        saveDrafts();
        document.dispatchEvent(new CustomEvent("steungroep:idle-lock")); // unsaved.js keeps its forms
        window.location.assign(lockUrl + "?next=" +
          encodeURIComponent(location.pathname + location.search));
      }, minutes * 60 * 1000);
      if (aliveUrl && Date.now() - lastPing > 60 * 1000) {
        lastPing = Date.now();
        fetch(aliveUrl, { credentials: "same-origin" }).catch(function () {});
      }
    }
    ["pointerdown", "keydown", "input", "scroll"].forEach(function (name) {
      document.addEventListener(name, reset, { passive: true });
    });
    reset();
  }

  // Drafts: what is typed in a form marked data-draft is kept in this tab while the form
  // is not sent, so an idle lock in the middle of a talk loses nothing. They belong to one
  // login (the page names it in data-draft-scope): a page of another login, or one without
  // a login (logged out, locked out), removes every draft of this tab, meeting cards too.
  var SCOPE = document.body.dataset.draftScope || "";
  function forgetOtherLogins() {
    Object.keys(sessionStorage).forEach(function (key) {
      if (key.indexOf("steungroep-") !== 0) return;
      var scope = key.split(":")[1];
      if (!SCOPE || scope !== SCOPE) sessionStorage.removeItem(key);
    });
  }
  function draftKey(form, field) {
    return DRAFT_PREFIX + SCOPE + ":" + location.pathname + ":" + field.name;
  }
  function draftFields(form) {
    return Array.prototype.filter.call(form.elements, function (field) {
      return field.name && (field.tagName === "TEXTAREA" ||
        (field.tagName === "INPUT" && field.type === "text"));
    });
  }
  function saveDrafts() {
    document.querySelectorAll("form[data-draft]").forEach(function (form) {
      draftFields(form).forEach(function (field) {
        if (field.value) sessionStorage.setItem(draftKey(form, field), field.value);
        else sessionStorage.removeItem(draftKey(form, field));
      });
    });
  }
  function restoreDrafts() {
    document.querySelectorAll("form[data-draft]").forEach(function (form) {
      var restored = false;
      draftFields(form).forEach(function (field) {
        var value = sessionStorage.getItem(draftKey(form, field));
        if (value && !field.value) { field.value = value; restored = true; }
      });
      if (restored) {
        var note = document.createElement("p");
        note.className = "flash flash-info";
        note.textContent = JSON.parse(document.body.dataset.texts || "{}").restored;
        form.prepend(note);
      }
      form.addEventListener("input", saveDrafts);
      form.addEventListener("submit", function () { clearDrafts(location.pathname); });
    });
  }
  function clearDrafts(path) {
    Object.keys(sessionStorage).forEach(function (key) {
      if (path === null ? key.indexOf("steungroep-") === 0
          : key.indexOf(DRAFT_PREFIX + SCOPE + ":" + path) === 0) sessionStorage.removeItem(key);
    });
  }

  // A button that copies the value of the field it names, and says so.
  function copyField(button) {
    var field = document.getElementById(button.dataset.copy);
    if (!field) return;
    field.select();
    var done = function () { button.textContent = button.dataset.copied || button.textContent; };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(done, function () {});
    } else if (document.execCommand && document.execCommand("copy")) {
      done();
    }
  }

  document.addEventListener("click", function (event) {
    var confirmLink = event.target.closest("[data-confirm]");
    if (confirmLink && !window.confirm(confirmLink.dataset.confirm)) event.preventDefault();
    if (event.target.closest("[data-blank-screen]")) toggleBlank();
    if (event.target.closest("[data-print]")) window.print();
    var copy = event.target.closest("[data-copy]");
    if (copy) copyField(copy);
  });
  document.addEventListener("submit", function (event) {
    if (event.target.matches("[data-logout]")) clearDrafts(null);
  });
  // The overview refreshes itself every minute, but never under someone's hands: not while
  // a row's actions are open or a field in it has the focus.
  document.addEventListener("htmx:beforeRequest", function (event) {
    var list = event.detail.elt;
    if (!list.matches || !list.matches("[data-quiet-refresh]")) return;
    if (list.querySelector("details[open]") || list.contains(document.activeElement)) {
      event.preventDefault();
    }
  });
  // A pupil picker's matches that were asked before a pupil was ticked would untick it:
  // they are not shown, and the search is asked again with the pupil ticked now.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target, config = event.detail.requestConfig;
    if (!target || !config || !target.id || target.id.indexOf("keuze-") !== 0) return;
    var name = target.id.slice("keuze-".length);
    var ticked = target.querySelector("input[type=radio]:checked");
    if (!ticked || ticked.name !== name || config.formData.get(name) === ticked.value) return;
    event.detail.shouldSwap = false;
    var search = target.closest("fieldset").querySelector("input[type=search]");
    if (search && window.htmx) window.htmx.trigger(search, "search");
  });
  // Filters that fold away on a phone stay open on a tablet, where there is room.
  function openWideFilters() {
    if (!window.matchMedia("(min-width: 701px)").matches) return;
    document.querySelectorAll("details[data-open-wide]").forEach(function (d) { d.open = true; });
  }
  forgetOtherLogins();
  // A refused form: its first message is brought into view (a form low on a long page
  // would otherwise come back scrolled to the top, its message out of sight).
  function showRefusal() {
    var first = document.querySelector("[data-refusal]");
    if (!first) return;
    var fold = first.closest("details");
    if (fold) fold.open = true;
    var box = first.getBoundingClientRect();
    if (box.top < 0 || box.bottom > window.innerHeight) first.scrollIntoView({ block: "center" });
  }
  // A search typed while the page was still loading (a slow tablet) came before htmx listened:
  // once everything has loaded, send what was typed instead of waiting for the next key.
  function sendEarlySearches() {
    if (!window.htmx) return;
    document.querySelectorAll("input[type=search]").forEach(function (field) {
      if (field.value !== field.defaultValue) window.htmx.trigger(field, "search");
    });
  }
  window.addEventListener("load", sendEarlySearches);
  document.addEventListener("DOMContentLoaded", function () {
    openWideFilters();
    showRefusal();
    startIdleLock();
    restoreDrafts();
  });
})();
