// steungroep meeting mode: every card is kept on this screen until the server has it.
//
// Typed text goes into sessionStorage first (per login, per case and round), then to the
// server. While the tablet is offline or the server cannot be reached, a card says
// "Nog niet verstuurd" and is sent by itself when the connection is back. A card says
// "Opgeslagen" only when the server answered for exactly the text on the screen. Each save
// carries the text this screen last saw stored, so a second tablet never silently wins.
(function () {
  "use strict";

  var RETRY_MS = 4000, TYPING_MS = 1200, CHECK_MS = 5000;
  // The page's texts in its language (core/i18n.py js_texts, on <body data-texts>).
  var TEXTS = JSON.parse(document.body.dataset.texts || "{}");
  function t(key, values) {
    var text = TEXTS[key] || key;
    Object.keys(values || {}).forEach(function (name) {
      text = text.split("%(" + name + ")s").join(values[name]);
    });
    return text;
  }
  var scope = document.body.dataset.draftScope || "";
  var done = document.querySelector("[data-meeting-done]");
  if (done) {
    // Afronden stored every card: nothing of this meeting stays in the tab.
    var ended = "steungroep-meeting:" + scope + ":" + done.dataset.meetingDone + ":";
    Object.keys(sessionStorage).forEach(function (key) {
      if (key.indexOf(ended) === 0) sessionStorage.removeItem(key);
    });
  }
  var section = document.querySelector("[data-meeting]");
  if (!section) return;
  var prefix = "steungroep-meeting:" + scope + ":" + section.dataset.meeting + ":";
  var cards = Array.prototype.slice.call(section.querySelectorAll("[data-meeting-card]"));
  var connection = document.querySelector("[data-connection]");
  var offline = false, retryTimer = null;

  function load(key) {
    try { return JSON.parse(sessionStorage.getItem(prefix + key) || "null"); } catch (e) { return null; }
  }
  function store(key, value) {
    try {
      if (value === null) sessionStorage.removeItem(prefix + key);
      else sessionStorage.setItem(prefix + key, JSON.stringify(value));
    } catch (e) { /* storage full or switched off: the screen still holds the text */ }
  }

  function setConnection(isOffline) {
    offline = isOffline;
    if (connection) connection.hidden = !isOffline;
  }

  // ---- one card -------------------------------------------------------------------------

  function Card(form) {
    this.form = form;
    this.area = form.querySelector("textarea");
    this.status = form.querySelector(".action-status");
    this.member = this.area.dataset.member;
    this.saved = this.area.dataset.saved || "";   // what the server has, as far as we know
    this.base = this.saved;                        // what we send our edits on top of
    this.sending = null;
    this.refused = null;                          // text the server refused (not retried)
    this.timer = null;
  }
  Card.prototype.text = function () { return this.area.value.trim(); };
  Card.prototype.isSaved = function () { return this.text() !== "" && this.text() === this.saved; };
  Card.prototype.say = function (kind, message, extra) {
    this.status.textContent = "";
    var span = document.createElement("span");
    span.className = kind;
    span.textContent = message;
    if (kind === "field-error") span.setAttribute("role", "alert");
    this.status.appendChild(span);
    if (extra) this.status.appendChild(extra);
    this.form.classList.toggle("has-action", this.isSaved());
    this.form.classList.toggle("is-waiting", kind === "waiting");
  };
  Card.prototype.show = function () {
    if (this.conflict) return;
    if (this.refused !== null && this.refused === this.text()) return;
    if (this.isSaved()) this.say("saved", t("saved"));
    else if (this.text() === "" && this.saved) this.say("muted", t("emptyKeeps", {text: this.saved}));
    else if (this.text() === "") this.say("muted", t("noAction"));
    else this.say("waiting", t("notSent") + (offline ? t("goesByItself") : ""));
  };
  Card.prototype.remember = function () {
    if (this.text() === "" || this.isSaved()) store(this.member, null);
    else store(this.member, { text: this.area.value, base: this.base });
  };
  Card.prototype.edited = function () {
    this.conflict = null;
    this.remember();
    this.show();
    clearTimeout(this.timer);
    var card = this;
    this.timer = setTimeout(function () { card.send(); }, TYPING_MS);
    updateProgress();
  };
  Card.prototype.needsSending = function () {
    var text = this.text();
    return text !== "" && text !== this.saved && text !== this.refused && !this.conflict;
  };
  Card.prototype.send = function (override) {
    clearTimeout(this.timer);
    if (this.sending !== null || (!override && !this.needsSending())) return;
    var card = this, text = this.text();
    var body = new FormData();
    body.append("csrf_token", section.dataset.csrf);
    body.append("text", text);
    body.append("base", this.base);
    this.sending = text;
    fetch(this.form.action, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "Accept": "application/json" },
    }).then(function (response) {
      var json = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
      if (response.redirected && response.url.indexOf("/vergrendeld") !== -1) {
        // The idle lock: the text stays in this tab and comes back after the password.
        window.location.assign(response.url);
        throw new Error("locked");
      }
      if (!json) throw new Error("no answer from the app (" + response.status + ")");
      return response.json().then(function (answer) { card.answered(text, answer); });
    }).catch(function () {
      card.sending = null;
      setConnection(true);
      card.show();
      scheduleRetry();
    });
  };
  Card.prototype.answered = function (text, answer) {
    this.sending = null;
    if (offline) {
      setConnection(false);
      all.forEach(function (card) { card.show(); if (card.sending === null) card.send(); });
    }
    if (answer.state === "saved") {
      this.saved = this.base = answer.stored;
      this.refused = null;
    } else if (answer.state === "conflict") {
      this.base = answer.stored;     // the next save is a choice made with open eyes
      this.showConflict(answer);
    } else {
      this.refused = text;
      this.say("field-error", answer.message);
    }
    this.remember();
    if (answer.state !== "conflict") this.show();
    updateProgress();
    if (this.needsSending()) this.send();
  };
  Card.prototype.showConflict = function (answer) {
    var card = this;
    this.conflict = answer;
    var choices = document.createElement("span");
    choices.className = "conflict-choices";
    var mine = button(t("keepMine"), function () {
      card.conflict = null;
      card.show();
      card.send(true);
    });
    var theirs = button(t("takeTheirs"), function () {
      card.conflict = null;
      card.area.value = answer.stored;
      card.saved = card.base = answer.stored;
      card.remember();
      card.show();
      updateProgress();
    });
    choices.appendChild(mine);
    if (answer.stored) choices.appendChild(theirs);
    this.say("field-error", answer.message, choices);
  };

  function button(label, onClick) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "btn btn-small";
    b.textContent = label;
    b.addEventListener("click", onClick);
    return b;
  }

  var all = cards.map(function (form) { return new Card(form); });
  var byForm = new Map(all.map(function (card) { return [card.form, card]; }));

  // What this tab kept of an earlier visit (an idle lock, a reload, the server away).
  all.forEach(function (card) {
    var kept = load(card.member);
    if (kept && kept.text.trim() && kept.text.trim() !== card.saved) {
      card.area.value = kept.text;
      card.base = kept.base;
    } else {
      store(card.member, null);
    }
    card.show();
  });
  all.forEach(function (card) { card.send(); });

  function scheduleRetry() {
    if (retryTimer) return;
    retryTimer = setTimeout(function () {
      retryTimer = null;
      all.forEach(function (card) { card.send(); });
    }, RETRY_MS);
  }
  window.addEventListener("online", function () { all.forEach(function (card) { card.send(); }); });
  window.addEventListener("offline", function () {
    setConnection(true);
    all.forEach(function (card) { card.show(); });
  });

  function updateProgress() {
    var progress = document.getElementById("progress");
    var done = all.filter(function (card) { return card.saved; }).length;
    if (progress) progress.textContent = t("progress", {done: done, all: all.length});
    if (all.every(function (card) { return card.isSaved(); })) {
      document.querySelectorAll("[data-clears-when-complete]").forEach(function (banner) {
        banner.remove();
      });
    }
  }

  section.addEventListener("input", function (event) {
    var card = byForm.get(event.target.form);
    if (card && event.target === card.area) card.edited();
  });
  section.addEventListener("focusout", function (event) {
    var card = byForm.get(event.target.form);
    if (card && event.target === card.area) card.send();
  });
  section.addEventListener("submit", function (event) {
    var card = byForm.get(event.target);
    if (!card) return;
    event.preventDefault();
    var keep = event.submitter && event.submitter.name === "keep";
    if (keep && card.area.dataset.previous) {
      card.area.value = card.area.dataset.previous;
      var previous = event.submitter.closest(".previous");
      if (previous) previous.remove();
      card.edited();
    }
    card.send();
  });
  updateProgress();

  // ---- the timer: survives a reload, a refused Afronden and the idle lock --------------

  var timerKey = "timer";
  var box = document.querySelector("[data-timer]");
  var minutesField = document.querySelector("[data-timer-minutes]");
  var late = box ? parseInt(box.dataset.lateMinutes, 10) || 45 : 45; // this round's length
  var timer = load(timerKey) || { elapsed: 0, since: null };
  function elapsed() { return timer.elapsed + (timer.since ? Date.now() - timer.since : 0); }
  function showTimer() {
    if (!box) return;
    var seconds = Math.floor(elapsed() / 1000);
    box.querySelector("[data-timer-display]").textContent =
      Math.floor(seconds / 60) + ":" + String(seconds % 60).padStart(2, "0");
    box.classList.toggle("timer-late", seconds >= late * 60);
    var toggle = box.querySelector("[data-timer-toggle]");  // its labels: the page's language
    toggle.textContent = timer.since ? toggle.dataset.pause
      : (timer.elapsed ? toggle.dataset.resume : toggle.dataset.start);
    if (minutesField) minutesField.value = Math.round(seconds / 60) || "";
  }
  if (box) {
    box.querySelector("[data-timer-toggle]").addEventListener("click", function () {
      if (timer.since) { timer.elapsed = elapsed(); timer.since = null; }
      else timer.since = Date.now();
      store(timerKey, timer);
      showTimer();
    });
    setInterval(showTimer, 1000);
    showTimer();
  }

  // ---- Afronden: never the browser's offline page in front of the group ----------------

  var finish = document.querySelector("[data-finish-form]");
  var finishNote = document.querySelector("[data-finish-offline]");
  var checking = false;
  function carry(form) {
    form.querySelectorAll("input[data-carried]").forEach(function (input) { input.remove(); });
    all.forEach(function (card) {
      [["action-", card.area.value], ["base-", card.base]].forEach(function (pair) {
        var input = document.createElement("input");
        input.type = "hidden";
        input.name = pair[0] + card.member;
        input.value = pair[1];
        input.setAttribute("data-carried", "");
        form.appendChild(input);
      });
    });
  }
  if (finish) {
    finish.addEventListener("submit", function (event) {
      if (finish.dataset.checked === "1") return;   // the real submit, after the check
      event.preventDefault();
      if (checking) return;
      checking = true;
      var controller = new AbortController();
      var stop = setTimeout(function () { controller.abort(); }, CHECK_MS);
      fetch(section.dataset.aliveUrl, {
        credentials: "same-origin", cache: "no-store", signal: controller.signal,
      }).then(function () {
        clearTimeout(stop);
        if (finishNote) finishNote.hidden = true;
        store(timerKey, { elapsed: elapsed(), since: timer.since ? Date.now() : null });
        carry(finish);
        finish.dataset.checked = "1";
        finish.submit();
      }).catch(function () {
        clearTimeout(stop);
        checking = false;
        setConnection(true);
        all.forEach(function (card) { card.show(); });
        if (finishNote) finishNote.hidden = false;
        scheduleRetry();
      });
    });
  }
})();
