// The trainer console's side panels, per kind of session: prompts and themes (listening),
// agenda, carried themes and commitments (face-to-face), groups, people and votes
// (co-projecting). Static forms live in the template; the lists are drawn here.
(function () {
  "use strict";

  var Ponte = window.Ponte;
  var ui = Ponte.ui;

  function $(id) { return document.getElementById(id); }

  // A form with one text field that sends `type` with {field: value}; cleared on success.
  function oneFieldForm(client, id, type, field) {
    var form = $(id);
    if (!form) return;
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var input = form.elements[field];
      var value = input.value.trim();
      if (!value) { input.focus(); return; }
      var payload = {};
      payload[field] = value;
      ui.act(client, type, payload, form.querySelector("button")).then(function (ack) {
        // Clear only what was sent: the trainer may already be typing the next one.
        if (ack.ok && input.value.trim() === value) { input.value = ""; input.focus(); }
      });
    });
  }

  function rowText(key, text, className) {
    var editor = ui.editor(key);
    return editor || ui.text("span", className || "control-text", text);
  }

  function editButton(client, key, value, opts) {
    return ui.button(opts.label || t("Edit"), "small ghost", function () {
      ui.openEditor(key, {
        value: value, maxLength: opts.maxLength, label: opts.label, redraw: client.changed,
        save: function (text) { return client.request(opts.type, opts.payload(text)); },
      });
    });
  }

  function pressed(button, on) { button.setAttribute("aria-pressed", String(!!on)); }

  Ponte.consolePanels = function (client) {
    var state = client.state;
    var act = function (type, payload, button) { return ui.act(client, type, payload, button); };

    oneFieldForm(client, "add-prompt-form", "add_prompt", "text");
    oneFieldForm(client, "add-theme-form", "create_cluster", "name");
    oneFieldForm(client, "add-agenda-form", "add_agenda_item", "title");
    oneFieldForm(client, "add-group-form", "add_group", "name");

    if ($("show-all-prompts")) $("show-all-prompts").addEventListener("click", function (event) {
      act("show_prompt", { prompt_id: null }, event.currentTarget);
    });
    document.querySelectorAll("[data-group-choice]").forEach(function (button) {
      button.addEventListener("click", function () { act("set_group_choice", { mode: button.dataset.groupChoice }, button); });
    });
    if ($("allowance-form")) $("allowance-form").addEventListener("submit", function (event) {
      event.preventDefault();
      var votes = Number(event.currentTarget.elements.votes.value);
      act("set_vote_allowance", { votes: votes }, event.currentTarget.querySelector("button"));
    });
    if ($("reveal-toggle")) $("reveal-toggle").addEventListener("click", function (event) {
      act("reveal_votes", { revealed: !state.votes.revealed }, event.currentTarget);
    });
    var commitmentForm = $("console-commitment-form");
    if (commitmentForm) commitmentForm.addEventListener("submit", function (event) {
      event.preventDefault();
      var f = commitmentForm.elements;
      var payload = { what: f.what.value.trim(), who: f.who.value.trim() };
      if (f.by_when.value) payload.by_when = f.by_when.value;
      act("record_commitment", payload, commitmentForm.querySelector("button")).then(function (ack) {
        if (ack.ok) commitmentForm.reset();
      });
    });

    // --- listening ------------------------------------------------------------------------

    function drawPrompts(list) {
      var current = state.session.current_prompt_id;
      list.replaceChildren();
      state.prompts.forEach(function (p) {
        var key = "prompt:" + p.id;
        var row = ui.el("li", "control-item" + (p.id === current ? " is-current" : ""));
        row.dataset.promptId = p.id;
        row.appendChild(rowText(key, ui.said(state, "prompt", p.id, "text", p.text)));
        if (!ui.editor(key)) {
          var buttons = ui.el("div", "control-buttons");
          var show = ui.button(p.id === current ? t("Shown alone") : t("Show only this"), "small", function () {
            act("show_prompt", { prompt_id: p.id }, show);
          });
          pressed(show, p.id === current);
          buttons.appendChild(show);
          buttons.appendChild(editButton(client, key, p.text, {
            type: "edit_prompt", maxLength: 300, label: t("Edit"),
            payload: function (text) { return { prompt_id: p.id, text: text }; },
          }));
          buttons.appendChild(ui.button(t("Remove"), "small danger-ghost", function (event) {
            act("remove_prompt", { prompt_id: p.id }, event.currentTarget);
          }));
          row.appendChild(buttons);
        }
        list.appendChild(row);
      });
      var all = $("show-all-prompts");
      all.textContent = current ? t("Show all prompts") : t("All prompts are shown");
      pressed(all, !current);
    }

    function drawThemes(list) {
      list.replaceChildren();
      state.clusters.forEach(function (c) {
        var key = "cluster:" + c.id;
        var row = ui.el("li", "control-item");
        row.dataset.clusterId = c.id;
        var count = 0;
        state.posts.forEach(function (p) { if (p.cluster_id === c.id && !p.hidden) count += 1; });
        row.appendChild(rowText(key, ui.said(state, "cluster", c.id, "name", c.name)));
        if (!ui.editor(key)) {
          row.appendChild(ui.el("span", "muted", count === 1 ? t("1 note") : t("{count} notes", { count: count })));
          var buttons = ui.el("div", "control-buttons");
          var carry = ui.button(t("Carry forward"), "small carry-toggle", function () {
            act("update_cluster", { cluster_id: c.id, carried_forward: !c.carried_forward }, carry);
          });
          pressed(carry, c.carried_forward);
          buttons.appendChild(carry);
          buttons.appendChild(editButton(client, key, c.name, {
            type: "update_cluster", maxLength: 120, label: t("Rename"),
            payload: function (name) { return { cluster_id: c.id, name: name }; },
          }));
          buttons.appendChild(ui.button(t("Remove"), "small danger-ghost", function (event) {
            act("remove_cluster", { cluster_id: c.id }, event.currentTarget);
          }));
          row.appendChild(buttons);
        }
        list.appendChild(row);
      });
      if (!state.clusters.length) list.appendChild(ui.el("li", "muted", t("No theme yet. Name one, then drag notes into it.")));
    }

    // --- face-to-face ---------------------------------------------------------------------

    function drawAgenda(list) {
      var current = state.session.current_agenda_item_id;
      list.replaceChildren();
      state.agenda.forEach(function (a) {
        var key = "agenda:" + a.id;
        var row = ui.el("li", "control-item" + (a.id === current ? " is-current" : ""));
        row.dataset.itemId = a.id;
        row.appendChild(rowText(key, ui.said(state, "agenda_item", a.id, "title", a.title)));
        if (!ui.editor(key)) {
          var buttons = ui.el("div", "control-buttons");
          if (a.id === current) buttons.appendChild(ui.el("span", "badge now", t("Now")));
          else buttons.appendChild(ui.button(t("Move the meeting here"), "small", function (event) {
            act("set_current_item", { item_id: a.id }, event.currentTarget);
          }));
          buttons.appendChild(editButton(client, key, a.title, {
            type: "edit_agenda_item", maxLength: 200, label: t("Edit"),
            payload: function (title) { return { item_id: a.id, title: title }; },
          }));
          buttons.appendChild(ui.button(t("Remove"), "small danger-ghost", function (event) {
            act("remove_agenda_item", { item_id: a.id }, event.currentTarget);
          }));
          row.appendChild(buttons);
        }
        list.appendChild(row);
      });
      if (!state.agenda.length) list.appendChild(ui.el("li", "muted", t("No agenda item yet.")));
    }

    function drawCarried(list, addable) {
      list.replaceChildren();
      state.carried.forEach(function (theme) {
        var row = ui.el("li", "carried-theme");
        row.dataset.clusterId = theme.id;
        row.appendChild(ui.text("strong", "carried-name", theme.name));
        row.appendChild(ui.text("span", "muted carried-from", t("from {session}", { session: theme.session_title })));
        if (theme.notes.length) {
          var notes = ui.el("ul", "carried-notes");
          theme.notes.forEach(function (n) { notes.appendChild(ui.text("li", null, n)); });
          row.appendChild(notes);
        }
        if (addable) {
          var onAgenda = state.agenda.some(function (a) { return a.cluster_id === theme.id; });
          var add = ui.button(onAgenda ? t("On the agenda") : t("Add to agenda"), "small", function () {
            act("add_agenda_item", { cluster_id: theme.id }, add);
          });
          add.disabled = onAgenda;
          row.appendChild(add);
        }
        list.appendChild(row);
      });
      if (!state.carried.length) list.appendChild(ui.el("li", "muted", t("No theme carried forward from the listening sessions yet.")));
    }

    function drawCommitments(list) {
      list.replaceChildren();
      state.commitments.forEach(function (c) {
        var item = ui.commitment(c, state);
        var select = ui.el("select", "status-select");
        select.setAttribute("aria-label", t("Status"));
        Object.keys(ui.STATUS_LABELS).forEach(function (s) {
          var option = ui.el("option", null, ui.STATUS_LABELS[s]);
          option.value = s;
          option.selected = s === c.status;
          select.appendChild(option);
        });
        select.addEventListener("change", function () {
          select.blur();
          act("update_commitment", { commitment_id: c.id, status: select.value }, select);
        });
        item.appendChild(select);
        list.appendChild(item);
      });
      if (!state.commitments.length) list.appendChild(ui.el("li", "muted", t("No commitment yet.")));
    }

    // --- co-projecting --------------------------------------------------------------------

    function drawGroups(list) {
      list.replaceChildren();
      state.groups.forEach(function (g) {
        var key = "group:" + g.id;
        var row = ui.el("li", "control-item");
        row.dataset.groupId = g.id;
        row.appendChild(rowText(key, ui.said(state, "group", g.id, "name", g.name)));
        if (!ui.editor(key)) {
          var people = state.participants.filter(function (p) { return p.group_id === g.id; }).length;
          row.appendChild(ui.el("span", "muted", people === 1 ? t("1 person") : t("{count} people", { count: people })));
          row.appendChild(editButton(client, key, g.name, {
            type: "rename_group", maxLength: 80, label: t("Rename"),
            payload: function (name) { return { group_id: g.id, name: name }; },
          }));
        }
        list.appendChild(row);
      });
      document.querySelectorAll("[data-group-choice]").forEach(function (button) {
        pressed(button, button.dataset.groupChoice === state.session.group_choice);
      });
    }

    function drawParticipants(list) {
      list.replaceChildren();
      state.participants.forEach(function (p) {
        var row = ui.el("li", "control-item participant");
        row.dataset.participantId = p.id;
        row.appendChild(ui.el("span", "role-icon", ui.ROLE_ICONS[p.role] || "•")).setAttribute("aria-hidden", "true");
        row.appendChild(ui.text("span", "control-text", p.name));
        var select = ui.el("select", "group-select");
        select.setAttribute("aria-label", t("Group of {name}", { name: p.name }));
        [{ id: "", name: t("No group") }].concat(state.groups).forEach(function (g) {
          var option = ui.el("option", null, g.id ? ui.said(state, "group", g.id, "name", g.name) : g.name);
          option.value = String(g.id);
          option.selected = (p.group_id || "") === g.id;
          select.appendChild(option);
        });
        select.addEventListener("change", function () {
          select.blur();
          act("assign_group", { participant_id: p.id, group_id: select.value ? Number(select.value) : null }, select);
        });
        row.appendChild(select);
        if (ui.removeControl) row.appendChild(ui.removeControl(client, p)); // console_access.js
        list.appendChild(row);
      });
      if (!state.participants.length) list.appendChild(ui.el("li", "muted", t("Nobody has joined yet.")));
    }

    function drawVotes() {
      var input = $("allowance-form").elements.votes;
      if (document.activeElement !== input) input.value = String(state.votes.allowance);
      var reveal = $("reveal-toggle");
      reveal.textContent = state.votes.revealed ? t("Hide the results") : t("Reveal the results");
      pressed(reveal, state.votes.revealed);
      var list = $("results-list");
      list.replaceChildren();
      ui.ranked(state).forEach(function (post) {
        var row = ui.el("li", "result");
        row.appendChild(ui.el("span", "result-count", "● " + ui.tally(state, post.id)));
        row.appendChild(ui.text("span", "result-text", post.text));
        list.appendChild(row);
      });
      if (!list.childNodes.length) list.appendChild(ui.el("li", "muted", t("No votes yet.")));
    }

    // A list is left alone while one of its menus is open: redrawing would close it.
    function redraw(id, fn) {
      var list = $(id);
      if (!list) return;
      var active = document.activeElement;
      if (active && active.tagName === "SELECT" && list.contains(active)) return;
      fn(list);
    }

    return function draw() {
      redraw("prompt-list", drawPrompts);
      redraw("theme-list", drawThemes);
      redraw("agenda-list", drawAgenda);
      redraw("carried-list", function (list) { drawCarried(list, state.session.kind === "face_to_face"); });
      redraw("console-commitment-list", drawCommitments);
      redraw("group-list", drawGroups);
      redraw("participant-list", drawParticipants);
      if ($("allowance-form")) drawVotes();
    };
  };
})();
