// Drawing prototypes, shared by the tablet, the console and the projector: status, voices,
// feedback, and the feedback form (decision makers on tablets, the trainer on the console).
(function () {
  "use strict";

  var Ponte = window.Ponte;
  var ui = Ponte.ui;

  ui.PROTOTYPE_STATUSES = {
    draft: t("Draft"), presented: t("Presented"), under_consideration: t("Under consideration"),
    adopted: t("Adopted"), piloted: t("Piloted"), not_pursued: t("Not pursued"),
  };
  ui.FEEDBACK_KINDS = [["support", "👍", t("Support")], ["concern", "⚠️", t("Concern")], ["question", "❓", t("Question")]];

  function plural(n, one, many) { return n + " " + (n === 1 ? one : many); }
  ui.plural = plural;

  // The session's prototypes, oldest first; groupId: only that group's.
  ui.prototypesOf = function (state, groupId) {
    var list = Array.from(state.prototypes ? state.prototypes.values() : []);
    if (groupId) list = list.filter(function (p) { return p.group_id === groupId; });
    return list.sort(function (a, b) { return a.id - b.id; });
  };

  // The notes behind a prototype that this screen may see.
  ui.voices = function (state, rec) {
    return rec.links.filter(function (l) {
      var post = l.post_id && state.posts.get(l.post_id);
      return post && !post.hidden;
    }).length;
  };

  ui.usedIn = function (state, postId) {
    var count = 0;
    if (state.prototypes) state.prototypes.forEach(function (p) {
      if (p.links.some(function (l) { return l.post_id === postId; })) count += 1;
    });
    return count;
  };

  // The title, in the reader's language when a mediator translated it (``state`` given).
  ui.prototypeTitle = function (rec, state) {
    var title = rec.fields.title;
    if (title && state && ui.said) title = ui.said(state, "prototype", rec.id, "title", title);
    return title || t("Untitled prototype");
  };

  ui.prototypeStatus = function (rec) {
    var badge = ui.el("span", "status proto-status status-proto-" + rec.status, ui.PROTOTYPE_STATUSES[rec.status] || rec.status);
    badge.dataset.status = rec.status;
    return badge;
  };

  ui.groupName = function (state, groupId) {
    var group = state.groups.find(function (g) { return g.id === groupId; });
    return group ? group.name : "";
  };

  // "School · 3 voices · 2 feedback", with the status first.
  ui.prototypeMeta = function (state, rec) {
    var meta = ui.el("p", "proto-meta");
    meta.appendChild(ui.prototypeStatus(rec));
    var group = ui.groupName(state, rec.group_id);
    if (group) meta.appendChild(ui.text("span", "proto-group", group));
    var voices = ui.voices(state, rec);
    meta.appendChild(ui.el("span", "proto-voices", "🗣 " + (voices === 1 ? t("1 voice") : t("{count} voices", { count: voices }))));
    if (rec.status_reason) meta.appendChild(ui.text("span", "proto-reason", "“" + rec.status_reason + "”"));
    return meta;
  };

  ui.feedbackList = function (state, rec) {
    var list = ui.el("ul", "feedback-list");
    rec.feedback.forEach(function (f) {
      var kind = ui.FEEDBACK_KINDS.find(function (k) { return k[0] === f.kind; }) || [f.kind, "•", f.kind];
      var item = ui.el("li", "feedback-item kind-" + f.kind);
      item.dataset.feedbackId = f.id;
      var head = ui.el("p", "feedback-head");
      head.appendChild(ui.el("span", "feedback-kind", kind[1] + " " + kind[2]));
      head.appendChild(ui.text("span", "feedback-author", (ui.ROLE_ICONS[f.author.role] || "") + " " + (f.author.name || t("Anonymous"))));
      item.appendChild(head);
      item.appendChild(ui.text("p", "feedback-text", f.text));
      var c = f.commitment_id && state.commitments.find(function (x) { return x.id === f.commitment_id; });
      if (c) {
        var box = ui.el("p", "feedback-commitment");
        box.appendChild(ui.el("strong", null, "🤝 " + t("Commitment:") + " "));
        box.appendChild(ui.text("span", "commitment-what-inline", c.what));
        box.appendChild(ui.el("span", "muted", " · " + t("who:") + " "));
        box.appendChild(ui.text("span", null, c.who));
        if (c.by_when) box.appendChild(ui.el("span", "muted", " · " + t("by {date}", { date: c.by_when })));
        item.appendChild(box);
      }
      list.appendChild(item);
    });
    if (!rec.feedback.length) list.appendChild(ui.el("li", "muted feedback-none", t("No feedback yet.")));
    return list;
  };

  function input(tag, name, label, attrs) {
    var wrap = ui.el("label", "feedback-label", label);
    var field = ui.el(tag, null);
    field.name = name;
    field.dir = "auto";
    Object.keys(attrs || {}).forEach(function (k) { field.setAttribute(k, attrs[k]); });
    wrap.appendChild(field);
    return wrap;
  }

  // A form that sends give_feedback for one prototype. Keep the node across redraws.
  ui.feedbackForm = function (client, prototypeId, opts) {
    opts = opts || {};
    var form = ui.el("form", "feedback-form stack");
    form.autocomplete = "off";
    form.dataset.prototypeId = prototypeId;
    form.appendChild(ui.el("p", "feedback-form-title", opts.title || t("Your feedback")));
    var kinds = ui.el("div", "feedback-kinds");
    kinds.setAttribute("role", "radiogroup");
    kinds.setAttribute("aria-label", t("Kind of feedback"));
    var chosen = null;
    ui.FEEDBACK_KINDS.forEach(function (k) {
      var button = ui.button(null, "kind-button kind-" + k[0], function () {
        chosen = k[0];
        kinds.querySelectorAll("button").forEach(function (b) { b.setAttribute("aria-checked", String(b === button)); });
      });
      button.setAttribute("role", "radio");
      button.setAttribute("aria-checked", "false");
      button.appendChild(ui.el("span", "kind-icon", k[1])).setAttribute("aria-hidden", "true");
      button.appendChild(ui.el("span", "kind-label", k[2]));
      kinds.appendChild(button);
    });
    form.appendChild(kinds);
    form.appendChild(input("textarea", "text", t("What do you think?"), { rows: "3", maxlength: "2000" }));
    var more = ui.el("details", "feedback-commit");
    more.appendChild(ui.el("summary", "button ghost small", "🤝 " + t("Add a commitment")));
    var fields = ui.el("div", "stack");
    fields.appendChild(input("textarea", "what", t("What will be done"), { rows: "2", maxlength: "1000" }));
    fields.appendChild(input("input", "who", t("Who will do it"), { maxlength: "200" }));
    fields.appendChild(input("input", "by_when", t("By when (optional)"), { type: "date" }));
    more.appendChild(fields);
    form.appendChild(more);
    var error = form.appendChild(ui.el("p", "field-error"));
    error.setAttribute("role", "alert");
    error.hidden = true;
    var submit = ui.el("button", "button primary big", t("Send feedback"));
    submit.type = "submit";
    form.appendChild(submit);
    var who = form.elements.who;
    who.addEventListener("input", function () { who.dataset.touched = "1"; });
    more.addEventListener("toggle", function () {
      if (more.open && !who.value && !who.dataset.touched && opts.who) who.value = opts.who();
    });

    function fail(message) { error.textContent = message; error.hidden = false; }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var text = form.elements.text.value.trim();
      if (!chosen) { fail(t("Choose support, concern or question.")); return; }
      if (!text) { fail(t("Write a few words first.")); form.elements.text.focus(); return; }
      var payload = { prototype_id: prototypeId, kind: chosen, text: text };
      var what = form.elements.what.value.trim();
      if (more.open && what) {
        payload.commitment = { what: what, who: who.value.trim() };
        if (!payload.commitment.who) { fail(t("Say who will do it.")); who.focus(); return; }
        if (form.elements.by_when.value) payload.commitment.by_when = form.elements.by_when.value;
      }
      error.hidden = true;
      submit.disabled = true;
      client.request("give_feedback", payload).then(function (ack) {
        submit.disabled = false;
        if (!ack.ok) { fail(ack.error.message); return; }
        client.applyFeedbackAck(ack);
        form.reset();
        delete who.dataset.touched;
        more.open = false;
        chosen = null;
        kinds.querySelectorAll("button").forEach(function (b) { b.setAttribute("aria-checked", "false"); });
        ui.toast(t("Thank you. Everyone can see your feedback now."));
      });
    });
    return form;
  };

  // Reuse one node per key across redraws (forms keep what is typed in them).
  ui.keyed = function (container, keys, create, update) {
    var nodes = container._keyed || (container._keyed = new Map());
    var wanted = new Set(keys);
    nodes.forEach(function (node, key) { if (!wanted.has(key)) { node.remove(); nodes.delete(key); } });
    var previous = null;
    keys.forEach(function (key) {
      var node = nodes.get(key);
      if (!node) { node = create(key); nodes.set(key, node); }
      update(node, key);
      var next = previous ? previous.nextSibling : container.firstChild;
      if (next !== node) container.insertBefore(node, next);
      previous = node;
    });
    Array.from(container.childNodes).forEach(function (child) {
      if (!Array.from(nodes.values()).includes(child)) child.remove();
    });
  };
})();
