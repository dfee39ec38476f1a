// The console's door: who may come in (the code alone, or the trainer's approval), the
// people waiting at the door (admit, refuse), removing someone from the session, and a new
// join code when the old one got out. The forms are in templates/sessions/console.html.
(function () {
  "use strict";

  var Ponte = window.Ponte;
  var ui = Ponte.ui;

  function $(id) { return document.getElementById(id); }

  // After a redraw, put the keyboard where the trainer's next step is.
  function focusSoon(selector) {
    setTimeout(function () {
      var node = document.querySelector(selector);
      if (node) node.focus();
    }, 0);
  }

  var confirming = null; // the participant whose removal waits for "Yes, remove"

  // "Remove" beside a person, then "Yes, remove" / "Cancel": their tablet stops at once.
  ui.removeControl = function (client, person) {
    var box = ui.el("div", "remove-control");
    var name = person.name || t("Anonymous");
    if (confirming !== person.id) {
      var remove = ui.button(t("Remove"), "small danger-ghost", function () {
        confirming = person.id;
        client.changed();
        focusSoon('[data-confirm-remove="' + person.id + '"]');
      });
      remove.dataset.remove = person.id;
      remove.setAttribute("aria-label", t("Remove {name}", { name: name }));
      box.appendChild(remove);
      return box;
    }
    function cancel() {
      confirming = null;
      client.changed();
      focusSoon('[data-remove="' + person.id + '"]');
    }
    box.classList.add("is-confirming");
    box.setAttribute("role", "group");
    box.setAttribute("aria-label", t("Remove {name}", { name: name }));
    var question = box.appendChild(ui.el("p", "remove-question"));
    question.appendChild(ui.fill(t("Remove {name} from this session? Their tablet stops working at once; their notes stay."), {
      name: ui.text("strong", null, name),
    }));
    var yes = ui.button(t("Yes, remove"), "small danger", function () {
      ui.act(client, "remove_participant", { participant_id: person.id }, yes).then(function (ack) {
        confirming = null;
        client.changed();
        if (ack.ok) ui.toast(t("{name} no longer has access to this session.", { name: name }));
      });
    });
    yes.dataset.confirmRemove = person.id;
    box.appendChild(yes);
    box.appendChild(ui.button(t("Cancel"), "small ghost", cancel));
    box.addEventListener("keydown", function (event) { if (event.key === "Escape") cancel(); });
    return box;
  };

  // Rows keep their nodes across redraws (the keyboard stays where it was) and are rebuilt
  // only when what they show changed.
  function keyedRows(list, people, build) {
    var byId = new Map(people.map(function (p) { return [String(p.id), p]; }));
    ui.keyed(list, Array.from(byId.keys()), function () { return ui.el("li", "control-item"); }, function (row, key) {
      var person = byId.get(key);
      var signature = JSON.stringify([person.name, person.role, person.language, confirming === person.id]);
      if (row.dataset.signature === signature) return;
      row.dataset.signature = signature;
      row.dataset.participantId = key;
      row.replaceChildren();
      build(row, person);
    });
  }

  function withIcon(button, icon, label) {
    button.appendChild(ui.el("span", null, icon + " ")).setAttribute("aria-hidden", "true");
    button.appendChild(ui.el("span", null, label));
  }

  function personLabel(row, person, state) {
    row.appendChild(ui.el("span", "role-icon", ui.ROLE_ICONS[person.role] || "•")).setAttribute("aria-hidden", "true");
    row.appendChild(ui.text("strong", "control-text", person.name || t("Anonymous")));
    row.appendChild(ui.el("span", "badge", ui.ROLE_LABELS[person.role] || person.role));
    if (person.language) {
      var language = ui.languageName ? ui.languageName(state, person.language) : person.language;
      row.appendChild(ui.el("span", "muted", language)).lang = person.language;
    }
  }

  Ponte.consoleAccess = function (client) {
    var state = client.state;
    var act = function (type, payload, button) { return ui.act(client, type, payload, button); };
    var sessionId = Number($("board").dataset.sessionId);
    var els = {
      code: $("join-code"), qr: document.querySelector(".join-card img.qr"), newCode: $("new-code"),
      newCodeBox: $("new-code-confirm"), door: $("door"), doorList: $("door-list"), doorEmpty: $("door-empty"),
      doorCount: $("door-count"), doorNews: $("door-news"), doorWaiting: $("door-waiting"),
      people: $("people-list"), peopleEmpty: $("people-empty"),
    };
    var seenAtDoor = null; // ids already announced
    var controls = Array.from(document.querySelectorAll("[data-admission]"));
    if (els.newCode) controls.push(els.newCode);
    // They work once the console is connected (the server says what they changed).
    function drawControls() {
      controls.forEach(function (button) { button.disabled = !state.loaded || !client.socket.connected; });
    }
    drawControls();
    client.on("connection", drawControls);

    document.querySelectorAll("[data-admission]").forEach(function (button) {
      button.addEventListener("click", function () {
        if (state.session.admission === button.dataset.admission) return;
        act("set_admission", { mode: button.dataset.admission }, button);
      });
    });

    if (els.newCode) els.newCode.addEventListener("click", function () {
      act("regenerate_code", {}, els.newCode).then(function (ack) {
        if (!ack.ok) return;
        els.newCodeBox.open = false;
        els.newCodeBox.querySelector("summary").focus();
        ui.toast(t("A new code is ready. The old one no longer works."));
      });
    });

    // After someone leaves the door, the keyboard goes to the next person, or the heading.
    function nextAtDoor(person) {
      var index = state.waiting.findIndex(function (p) { return p.id === person.id; });
      var next = state.waiting[index + 1] || state.waiting[index - 1];
      return next ? '[data-admit="' + next.id + '"]' : "#door-title";
    }

    function doorRow(row, person) {
      row.classList.add("door-person");
      personLabel(row, person, state);
      var name = person.name || t("Anonymous");
      var buttons = row.appendChild(ui.el("div", "control-buttons"));
      var admit = buttons.appendChild(ui.button("", "small primary", function () {
        var focus = nextAtDoor(person);
        act("admit_participant", { participant_id: person.id }, admit).then(function (ack) { if (ack.ok) focusSoon(focus); });
      }));
      withIcon(admit, "✓", t("Admit"));
      admit.dataset.admit = person.id;
      admit.setAttribute("aria-label", t("Admit {name}", { name: name }));
      var refuse = buttons.appendChild(ui.button("", "small danger-ghost", function () {
        var focus = nextAtDoor(person);
        act("remove_participant", { participant_id: person.id }, refuse).then(function (ack) { if (ack.ok) focusSoon(focus); });
      }));
      withIcon(refuse, "✕", t("Refuse"));
      refuse.setAttribute("aria-label", t("Refuse {name}", { name: name }));
    }

    function drawCode() {
      var code = state.joinCode;
      if (!code || !els.code || els.code.textContent.trim() === code) return;
      els.code.textContent = code;
      // The QR code holds the code: ask for the new picture, not the cached old one.
      if (els.qr) els.qr.src = "/sessions/" + sessionId + "/qr.svg?code=" + encodeURIComponent(code);
    }

    function drawDoor() {
      var approval = state.session.admission === "approval";
      document.querySelectorAll("[data-admission]").forEach(function (button) {
        button.setAttribute("aria-pressed", String(button.dataset.admission === (state.session.admission || "open")));
      });
      if (!els.door) return;
      var waiting = state.waiting;
      els.doorWaiting.hidden = !approval && !waiting.length;
      els.door.classList.toggle("has-people", waiting.length > 0);
      els.doorCount.textContent = waiting.length ? "(" + waiting.length + ")" : "";
      els.doorEmpty.hidden = waiting.length > 0;
      keyedRows(els.doorList, waiting, doorRow);
      // One polite sentence per newcomer, for a trainer who does not look at the list.
      var ids = waiting.map(function (p) { return p.id; });
      if (seenAtDoor) {
        var arrived = waiting.filter(function (p) { return seenAtDoor.indexOf(p.id) < 0; });
        var who = arrived.length === 1 ? arrived[0].name || t("Anonymous") : "";
        if (arrived.length === 1) els.doorNews.textContent = t("{name} is waiting at the door.", { name: who });
        else if (arrived.length > 1) els.doorNews.textContent = t("{count} people are waiting at the door.", { count: waiting.length });
      }
      seenAtDoor = ids;
    }

    function drawPeople() {
      if (!els.people) return; // co-projecting: "Remove" is in the people-and-groups list
      keyedRows(els.people, state.participants, function (row, person) {
        personLabel(row, person, state);
        row.appendChild(ui.removeControl(client, person));
      });
      els.peopleEmpty.hidden = state.participants.length > 0;
    }

    return function draw() {
      drawControls();
      drawCode();
      drawDoor();
      drawPeople();
    };
  };
})();
