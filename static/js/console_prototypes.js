// The console's Prototypes panel (co-projecting): each prototype with its status (the
// trainer moves it along; "not pursued" needs a reason), a link to its staff page
// (revisions and restore live there), its feedback, and a feedback form the trainer fills
// in for a decision maker who speaks in the room.
(function () {
  "use strict";

  var Ponte = window.Ponte;
  var ui = Ponte.ui;

  Ponte.consolePrototypes = function (client) {
    var state = client.state;
    var list = document.getElementById("console-prototypes");
    if (!list) return function () {};
    var empty = document.getElementById("console-prototypes-empty");

    function statusForm(id) {
      var form = ui.el("form", "status-form");
      form.autocomplete = "off";
      var select = ui.el("select", "proto-status-select");
      select.name = "status";
      select.setAttribute("aria-label", t("Status"));
      Object.keys(ui.PROTOTYPE_STATUSES).forEach(function (s) {
        var option = ui.el("option", null, ui.PROTOTYPE_STATUSES[s]);
        option.value = s;
        select.appendChild(option);
      });
      var reason = ui.el("textarea", "proto-reason-input");
      reason.name = "reason";
      reason.rows = 2;
      reason.maxLength = 2000;
      reason.dir = "auto";
      reason.placeholder = t("Why is it not pursued? (shown to everyone)");
      reason.setAttribute("aria-label", t("Reason"));
      var set = ui.el("button", "button small primary", t("Set status"));
      set.type = "submit";
      form.appendChild(select);
      form.appendChild(set);
      form.appendChild(reason);
      function sync() {
        var rec = state.prototypes.get(id);
        var changing = rec && select.value !== rec.status;
        reason.hidden = select.value !== "not_pursued";
        set.hidden = !changing;
      }
      select.addEventListener("change", function () { form.dataset.touched = "1"; sync(); });
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        var payload = { prototype_id: id, status: select.value };
        if (select.value === "not_pursued") {
          payload.reason = reason.value.trim();
          if (!payload.reason) { reason.focus(); ui.toast(t("Say why it is not pursued: everyone will read it."), "error"); return; }
        }
        ui.act(client, "set_prototype_status", payload, set).then(function (ack) {
          if (!ack.ok) return;
          delete form.dataset.touched;
          reason.value = "";
          client.applyPrototypeAck(ack);
        });
      });
      form.refresh = function (rec) {
        if (!form.dataset.touched && !form.contains(document.activeElement)) select.value = rec.status;
        sync();
      };
      return form;
    }

    function create(id) {
      var item = ui.el("li", "console-proto");
      item.dataset.prototypeId = id;
      item.appendChild(ui.el("div", "console-proto-body"));
      var status = item.appendChild(statusForm(id));
      item.statusForm = status;
      var links = item.appendChild(ui.el("div", "proto-links"));
      var page = links.appendChild(ui.el("a", "button small ghost", t("Revisions and restore") + " ↗"));
      page.href = "/prototypes/" + id;
      page.target = "_blank";
      page.rel = "noopener";
      var more = item.feedbackForm = item.appendChild(ui.el("details", "console-feedback"));
      more.appendChild(ui.el("summary", "button small", "💬 " + t("Feedback for a decision maker")));
      more.appendChild(ui.feedbackForm(client, id, { title: t("Feedback said in the room") }));
      item.feedback = item.appendChild(ui.el("div"));
      return item;
    }

    function update(item, id) {
      var rec = state.prototypes.get(id);
      var body = item.firstChild;
      var parts = [ui.text("h3", "proto-title", ui.prototypeTitle(rec, state)), ui.prototypeMeta(state, rec)];
      if (rec.fields.idea) parts.push(ui.text("p", "proto-idea", rec.fields.idea));
      body.replaceChildren.apply(body, parts);
      // Observers watch; only the session's trainer (or staff) moves prototypes along.
      var runs = !!(state.me && state.me.can_facilitate);
      item.statusForm.hidden = !runs;
      item.feedbackForm.hidden = !runs;
      item.statusForm.refresh(rec);
      item.feedback.replaceChildren(ui.feedbackList(state, rec));
    }

    var panel = document.getElementById("prototypes-panel");

    return function draw() {
      var phase = state.session.phase;
      // While the groups build and present, the panel comes first in the side column.
      panel.classList.toggle("is-now", phase === "prototype" || phase === "feedback");
      var protos = ui.prototypesOf(state, null);
      ui.keyed(list, protos.map(function (p) { return p.id; }), create, update);
      if (empty) {
        empty.hidden = protos.length > 0;
        empty.textContent = state.prototypesLoaded ? t("No prototype yet: the groups start them in the prototype phase.") : t("Loading…");
      }
    };
  };
})();
