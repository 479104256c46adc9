// steungroep: a form marked data-unsaved-guard (the settings of a school) never loses a
// change without a word. While it holds changes that are not saved, a line beside its own
// button says so; another form sent from the page (a studiedag, another school) is stopped
// once, with a message beside its button (pressing again goes on without the changes);
// leaving the page otherwise (a link, closing the tab) asks the browser's own question. An
// idle lock keeps the changes in the tab and puts them back after unlocking. Without this
// script the page works as before: each form sends what it holds.
(function () {
  "use strict";

  var TEXTS = JSON.parse(document.body.dataset.texts || "{}");
  var SCOPE = document.body.dataset.draftScope || "";
  var leaving = false; // the page is meant to go: its own form was sent, or a warned one again

  function guarded() {
    return Array.prototype.slice.call(document.querySelectorAll("form[data-unsaved-guard]"));
  }
  function fields(form) {
    return Array.prototype.filter.call(form.elements, function (field) {
      return field.name && field.type !== "hidden" && !field.disabled;
    });
  }
  // Changed: a field differs from what the page came with (what is stored), or the page came
  // back refused (what it shows was typed, and not saved).
  function changed(field) {
    if (field.type === "checkbox" || field.type === "radio") {
      return field.checked !== field.defaultChecked;
    }
    if (field.tagName === "SELECT") {
      var stored = 0;
      Array.prototype.forEach.call(field.options, function (option, index) {
        if (option.defaultSelected) stored = index;
      });
      return field.selectedIndex !== stored;
    }
    return field.value !== field.defaultValue;
  }
  function isDirty(form) {
    return form.hasAttribute("data-refused") || fields(form).some(changed);
  }

  function warnings() {
    return document.querySelectorAll("[data-unsaved-warning]");
  }
  function update(form) {
    var status = form.querySelector("[data-unsaved-status]");
    var dirty = isDirty(form);
    if (status) {
      status.textContent = TEXTS.unsaved || "";
      status.hidden = !dirty;
    }
    if (!guarded().some(isDirty)) {
      Array.prototype.forEach.call(warnings(), function (note) { note.remove(); });
      document.querySelectorAll("form[data-unsaved-warned]").forEach(function (other) {
        other.removeAttribute("data-unsaved-warned");
      });
    }
  }

  // Another form is sent while changes wait: the first time, stop it and say so beside its
  // button; the second time, go on (the person chose to).
  function warnBefore(form, submitter) {
    if (form.hasAttribute("data-unsaved-warned")) return false;
    form.setAttribute("data-unsaved-warned", "");
    var note = document.createElement("p");
    note.className = "alert unsaved-warning";
    note.setAttribute("role", "alert");
    note.setAttribute("data-unsaved-warning", "");
    note.textContent = TEXTS.unsavedOther || "";
    var anchor = submitter || form.querySelector("[type=submit]") || form.lastElementChild;
    if (anchor) anchor.insertAdjacentElement("afterend", note);
    else form.appendChild(note);
    note.scrollIntoView({ block: "nearest" });
    return true;
  }
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.matches("[data-unsaved-guard]")) {
      leaving = true;
      forget(form);
      return;
    }
    if (form.matches("[data-logout]") || !guarded().some(isDirty)) return; // logout: the browser asks
    if (warnBefore(form, event.submitter)) event.preventDefault();
    else leaving = true;
  }, true);

  window.addEventListener("beforeunload", function (event) {
    if (leaving || !guarded().some(isDirty)) return;
    event.preventDefault();
    event.returnValue = "";
  });

  // The idle lock (app.js) takes the page away: keep the changes in this tab, for this login,
  // and put them back when the page comes again after unlocking.
  function storeKey(form) {
    return "steungroep-unsaved:" + SCOPE + ":" + form.getAttribute("action");
  }
  function forget(form) {
    sessionStorage.removeItem(storeKey(form));
  }
  document.addEventListener("steungroep:idle-lock", function () {
    leaving = true;
    guarded().forEach(function (form) {
      if (!SCOPE || !fields(form).some(changed)) return;
      var values = fields(form).map(function (field) {
        var on = field.type === "checkbox" || field.type === "radio";
        return [field.name, field.value, on ? field.checked : null];
      });
      sessionStorage.setItem(storeKey(form), JSON.stringify(values));
    });
  });
  function restore(form) {
    var stored = SCOPE && sessionStorage.getItem(storeKey(form));
    if (!stored) return;
    forget(form);
    var values = JSON.parse(stored);
    fields(form).forEach(function (field, index) {
      var value = values[index];
      if (!value || value[0] !== field.name) return; // the form changed meanwhile: leave it
      if (value[2] !== null) field.checked = value[2];
      else field.value = value[1];
    });
    var note = document.createElement("p");
    note.className = "flash flash-info";
    note.textContent = TEXTS.restored || "";
    form.prepend(note);
  }

  document.addEventListener("DOMContentLoaded", function () {
    guarded().forEach(function (form) {
      restore(form);
      ["input", "change"].forEach(function (name) {
        form.addEventListener(name, function () { update(form); });
      });
      update(form);
    });
  });
})();
