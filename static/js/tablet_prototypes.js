// The tablet's Prototypes area (co-projecting, prototype and feedback phases): the group's
// prototypes (all of them in plenary or without a group), "Start a prototype", the canvas
// with its evidence, and for decision makers in the feedback phase a feedback form on each.
(function () {
  "use strict";

  var Ponte = window.Ponte;
  var ui = Ponte.ui;

  function $(id) { return document.getElementById(id); }

  // opts: {storeKey, myGroup() -> group|null, plenary() -> bool}
  Ponte.tabletPrototypes = function (client, opts) {
    var state = client.state;
    var els = {
      area: $("prototypes"), hint: $("prototypes-hint"), start: $("start-prototype"),
      cards: $("prototype-cards"), empty: $("prototypes-empty"), canvas: $("canvas"),
    };
    if (!els.area) return { draw: function () {}, forget: function () {} };

    function session() { return state.session; }
    function phaseOn() {
      return session().kind === "co_projecting" && (session().phase === "prototype" || session().phase === "feedback");
    }
    function writable() { return session().status === "live" && !session().locked; }
    function isDecisionMaker() { return state.me && state.me.role === "decision_maker"; }
    function canBuild() { return phaseOn() && writable() && !isDecisionMaker(); }
    // Only a prototype's own group writes on it (someone without a group may help anywhere).
    function canBuildOn(id) {
      var rec = state.prototypes.get(id);
      var own = state.me && state.me.group_id;
      return canBuild() && !!rec && (!own || !rec.group_id || rec.group_id === own);
    }
    function readOnlyNote(rec) {
      if (isDecisionMaker()) return t("You can read this canvas. The groups write; you give feedback.");
      if (!canBuild()) return t("You can read this canvas. Writing is open in the prototype and feedback phases.");
      return t("This canvas belongs to the group {group}: you can read it.", { group: ui.groupName(state, rec.group_id) });
    }
    function feedbackOpen() { return isDecisionMaker() && session().phase === "feedback" && writable(); }

    var canvas = Ponte.canvas(client, els.canvas, {
      storeKey: opts.storeKey, canEdit: canBuildOn, readOnlyNote: readOnlyNote, onClose: client.changed, evidence: drawEvidence,
      me: function () { return state.me ? state.me.name : ""; },
    });

    els.start.addEventListener("submit", function (event) {
      event.preventDefault();
      var input = els.start.elements.title;
      var title = input.value.trim();
      if (!title) { input.focus(); return; }
      ui.act(client, "create_prototype", { title: title }, els.start.querySelector("button")).then(function (ack) {
        if (!ack.ok) return;
        input.value = "";
        client.applyPrototypeAck(ack);
        canvas.open(ack.prototype.id);
        client.changed();
      });
    });

    // --- evidence: the notes and themes a prototype answers --------------------------------

    function toggle(rec, link, button) {
      var key = link.post_id ? "post_id" : "cluster_id";
      var linked = rec.links.some(function (l) { return l[key] === link[key]; });
      button.disabled = true;
      var sent = linked ? client.linkIdFor(rec.id, link).then(function (id) {
        if (id) return client.request("unlink_evidence", { prototype_id: rec.id, link_id: id });
        return { ok: false, error: { message: t("This link could not be found. Try again in a moment.") } };
      }) : client.request("link_evidence", Object.assign({ prototype_id: rec.id }, link));
      sent.then(function (ack) {
        button.disabled = false;
        if (!ack.ok) ui.toast(ack.error.message, "error");
        else client.applyPrototypeAck(ack);
        client.changed();
      });
    }

    function row(rec, link, text, meta, editable) {
      var key = link.post_id ? "post_id" : "cluster_id";
      var linked = rec.links.some(function (l) { return l[key] === link[key]; });
      var item = ui.el("li", "evidence-row" + (linked ? " is-linked" : ""));
      if (link.post_id) item.dataset.postId = link.post_id; else item.dataset.clusterId = link.cluster_id;
      var body = item.appendChild(ui.el("div", "evidence-body"));
      body.appendChild(ui.text("p", "evidence-text", text));
      if (meta) body.appendChild(ui.text("p", "evidence-meta muted", meta));
      var button = ui.button(linked ? "✓ " + t("Linked") : "＋ " + t("Link"), "small evidence-toggle" + (linked ? " primary" : ""), function () {
        toggle(rec, link, button);
      });
      button.setAttribute("aria-pressed", String(linked));
      button.setAttribute("aria-label", linked ? t("Linked: {text}", { text: text }) : t("Link: {text}", { text: text }));
      button.disabled = !editable;
      item.appendChild(button);
      return item;
    }

    function drawEvidence(rec, node, editable) {
      var linkedPosts = new Set(rec.links.map(function (l) { return l.post_id; }));
      var posts = Array.from(state.posts.values()).filter(function (p) {
        return !p.hidden && (!rec.group_id || p.group_id === rec.group_id || linkedPosts.has(p.id));
      }).sort(function (a, b) { return a.seq - b.seq; });
      var notes = ui.el("ul", "evidence-list");
      posts.forEach(function (p) {
        var who = (ui.ROLE_ICONS[p.author.role] || "") + " " + (p.author.name || t("Anonymous"));
        notes.appendChild(row(rec, { post_id: p.id }, p.text, who, editable));
      });
      if (!posts.length) notes.appendChild(ui.el("li", "muted", t("Your group has no notes yet.")));
      var themes = ui.el("ul", "evidence-list");
      var seen = new Set();
      state.carried.concat(state.clusters).forEach(function (theme) {
        if (seen.has(theme.id)) return;
        seen.add(theme.id);
        var from = theme.session_title ? t("from {session}", { session: theme.session_title }) : "";
        themes.appendChild(row(rec, { cluster_id: theme.id }, theme.name, from, editable));
      });
      var voices = ui.voices(state, rec);
      var parts = [
        ui.el("h3", null, t("Link notes")),
        ui.el("p", "hint", voices === 1 ? t("The voices behind this prototype: 1 note linked.")
          : t("The voices behind this prototype: {count} notes linked.", { count: voices })),
        notes,
      ];
      if (seen.size) parts.push(ui.el("h3", null, t("Themes carried forward")), themes);
      node.replaceChildren.apply(node, parts);
    }

    // --- the list of prototypes ------------------------------------------------------------

    var forms = new Map();

    function card(id) {
      var item = ui.el("li", "proto-card");
      item.dataset.prototypeId = id;
      item.appendChild(ui.el("div", "proto-card-body"));
      item.appendChild(ui.el("div", "proto-card-form"));
      return item;
    }

    function fillCard(item, id) {
      var rec = state.prototypes.get(id);
      var body = item.firstChild;
      var parts = [ui.text("h3", "proto-title", ui.prototypeTitle(rec, state)), ui.prototypeMeta(state, rec)];
      if (rec.fields.idea) parts.push(ui.text("p", "proto-idea", rec.fields.idea));
      else if (rec.fields.problem) parts.push(ui.text("p", "proto-idea muted", rec.fields.problem));
      var mine = canBuildOn(id);
      var open = ui.button(mine ? "✏️ " + t("Open the canvas") : "📖 " + t("Read the canvas"), "proto-open" + (mine ? " primary" : ""), function () {
        canvas.open(id);
        client.changed();
      });
      parts.push(open);
      if (rec.feedback.length || session().phase === "feedback") parts.push(ui.feedbackList(state, rec));
      body.replaceChildren.apply(body, parts);
      var slot = item.lastChild;
      if (feedbackOpen()) {
        if (!forms.has(id)) {
          forms.set(id, ui.feedbackForm(client, id, {
            title: t("Your feedback on “{title}”", { title: ui.prototypeTitle(rec) }),
            who: function () { return state.me.name; },
          }));
        }
        if (slot.firstChild !== forms.get(id)) slot.replaceChildren(forms.get(id));
      } else if (slot.firstChild) {
        slot.replaceChildren();
      }
    }

    function shown() {
      var group = opts.myGroup();
      return ui.prototypesOf(state, group && !opts.plenary() ? group.id : null);
    }

    function draw() {
      var on = phaseOn();
      els.area.hidden = !on;
      if (!on && canvas.openId()) canvas.close();
      document.body.classList.toggle("canvas-open", on && !!canvas.openId());
      if (!on) return;
      var group = opts.myGroup();
      var list = shown();
      var open = canvas.openId();
      els.start.hidden = !!open || !canBuild() || !group;
      els.cards.hidden = !!open;
      var hint = "";
      if (!state.prototypesLoaded) hint = t("Loading the prototypes…");
      else if (feedbackOpen()) hint = t("Feedback time: tell each group what you think, and what you can commit to.");
      else if (isDecisionMaker()) hint = t("The groups are building their prototypes. You can give feedback in the feedback phase.");
      else if (group && !opts.plenary()) hint = t("Prototypes of your group: {group}", { group: group.name });
      else if (canBuild()) hint = t("Join a group to start a prototype.");
      els.hint.textContent = hint;
      els.hint.hidden = !hint || !!open;
      els.empty.hidden = !!open || !state.prototypesLoaded || list.length > 0;
      ui.keyed(els.cards, list.map(function (p) { return p.id; }), card, fillCard);
      canvas.draw();
    }

    return { draw: draw, forget: canvas.forget };
  };
})();
