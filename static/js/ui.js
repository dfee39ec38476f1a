// Drawing helpers shared by the tablet, the console and the projector.
// Everything that comes from people (notes, names, labels) goes in with textContent, never
// innerHTML: notes are untrusted.
(function () {
  "use strict";

  var Ponte = (window.Ponte = window.Ponte || {});
  var ui = (Ponte.ui = {});

  // The chips that say where a new note goes (a prompt, a group): one can be chosen.
  // Returns the chosen target, kept when it still exists, else the first of ``list``.
  ui.targetChips = function (container, list, target, onChoose) {
    var still = target && list.find(function (c) { return c.kind === target.kind && c.id === target.id; });
    var chosen = still ? target : list.length ? { kind: list[0].kind, id: list[0].id } : null;
    container.replaceChildren();
    list.forEach(function (c) {
      var chip = ui.el("button", "chip", c.title);
      chip.type = "button";
      chip.dir = "auto";
      chip.setAttribute("role", "radio");
      chip.setAttribute("aria-checked", String(chosen.kind === c.kind && chosen.id === c.id));
      chip.addEventListener("click", function () { onChoose({ kind: c.kind, id: c.id }); });
      container.appendChild(chip);
    });
    return chosen;
  };

  ui.ROLE_LABELS = {
    migrant: t("Participant"), decision_maker: t("Decision maker"), mediator: t("Mediator"),
    trainer: t("Trainer"), staff: t("Staff"),
  };
  ui.ROLE_ICONS = { migrant: "🙋", decision_maker: "🏛️", mediator: "🗣️", trainer: "🧭", staff: "🧭" };
  ui.PHASES = ["frame", "ideas", "vote", "prototype", "feedback"];
  ui.PHASE_LABELS = {
    frame: t("Frame the problem"), ideas: t("Ideas"), vote: t("Vote"), prototype: t("Prototype"), feedback: t("Feedback"),
  };
  ui.STATUS_LABELS = { open: t("Open"), in_progress: t("In progress"), done: t("Done"), dropped: t("Dropped") };

  ui.el = function (tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  };

  ui.button = function (label, className, onClick) {
    var node = ui.el("button", "button " + (className || ""), label);
    node.type = "button";
    if (onClick) node.addEventListener("click", onClick);
    return node;
  };

  ui.text = function (tag, className, text) {
    var node = ui.el(tag, className, text);
    node.dir = "auto";
    return node;
  };

  // A translated sentence with people's words in it, each kept in its own node (dir="auto"):
  // ui.fill(t("recorded by {name}"), {name: node}) puts the node where the translation says.
  ui.fill = function (template, nodes) {
    var fragment = document.createDocumentFragment();
    template.split(/(\{\w+\})/).forEach(function (part) {
      var name = /^\{(\w+)\}$/.exec(part);
      if (name && nodes[name[1]]) fragment.appendChild(nodes[name[1]]);
      else if (part) fragment.appendChild(document.createTextNode(part));
    });
    return fragment;
  };

  // An arrow that points along the reading: ".dir-icon" mirrors it in right-to-left pages.
  ui.arrow = function (symbol) {
    var icon = ui.el("span", "dir-icon", symbol);
    icon.setAttribute("aria-hidden", "true");
    return icon;
  };

  // A short message that goes away by itself (refusals, "saved").
  ui.toast = function (message, kind) {
    var box = document.getElementById("toast");
    if (!box) {
      box = ui.el("div", "toast");
      box.id = "toast";
      box.setAttribute("role", "alert");
      document.body.appendChild(box);
    }
    box.textContent = message;
    box.className = "toast" + (kind ? " " + kind : "");
    box.hidden = false;
    clearTimeout(ui.toast.timer);
    ui.toast.timer = setTimeout(function () { box.hidden = true; }, 5000);
  };

  // Send a request; show the refusal if there is one. Resolves to the ack.
  ui.act = function (client, type, payload, button) {
    if (button) button.disabled = true;
    return client.request(type, payload).then(function (ack) {
      if (button) button.disabled = false;
      if (!ack.ok) ui.toast(ack.error.message, "error");
      return ack;
    });
  };

  // --- the clock --------------------------------------------------------------------------

  ui.remaining = function (client) {
    var timer = client.state.session.timer;
    if (!timer || !timer.ends_at) return null;
    return Math.max(0, Ponte.parseTime(timer.ends_at) - client.now());
  };

  ui.formatClock = function (ms) {
    var total = Math.ceil(ms / 1000);
    var minutes = Math.floor(total / 60);
    var seconds = total % 60;
    return (minutes < 10 ? "0" : "") + minutes + ":" + (seconds < 10 ? "0" : "") + seconds;
  };

  // Keep every .timer-text of the page in step with the trainer's countdown.
  ui.runClock = function (client) {
    function tick() {
      var ms = ui.remaining(client);
      document.querySelectorAll("[data-timer]").forEach(function (box) {
        box.hidden = ms === null;
        var text = box.querySelector(".timer-text");
        if (ms !== null && text) text.textContent = ui.formatClock(ms);
        box.classList.toggle("is-over", ms === 0);
        box.classList.toggle("is-ending", ms !== null && ms > 0 && ms <= 60000);
      });
    }
    client.on("change", tick);
    setInterval(tick, 250);
  };

  // --- people -----------------------------------------------------------------------------

  ui.attendance = function (state, node) {
    var roles = [
      ["migrant", t("participant"), t("participants")], ["decision_maker", t("decision maker"), t("decision makers")],
      ["mediator", t("mediator"), t("mediators")], ["trainer", t("trainer"), t("trainers")],
    ];
    node.replaceChildren();
    roles.forEach(function (pair) {
      var item = ui.el("span", "attendance-role");
      item.dataset.role = pair[0];
      item.appendChild(ui.el("span", null, ui.ROLE_ICONS[pair[0]])).setAttribute("aria-hidden", "true");
      var count = state.attendance[pair[0]] || 0;
      item.appendChild(ui.el("strong", "attendance-count", String(count)));
      item.appendChild(ui.el("span", null, count === 1 ? pair[1] : pair[2]));
      node.appendChild(item);
    });
  };

  // onPick(phase): the console lets the trainer jump to a phase (back, after a wrong tap).
  ui.phaseBar = function (state, node, onPick) {
    var current = ui.PHASES.indexOf(state.session.phase);
    node.replaceChildren();
    ui.PHASES.forEach(function (phase, index) {
      var label = (index + 1) + ". " + ui.PHASE_LABELS[phase];
      var step = ui.el("li", "phase-step", onPick && index !== current ? null : label);
      if (onPick && index !== current) {
        var go = step.appendChild(ui.button(label, "phase-go", function () { onPick(phase, go); }));
        go.title = t("Go to this phase");
      }
      step.dataset.phase = phase;
      if (index === current) { step.classList.add("is-current"); step.setAttribute("aria-current", "step"); }
      if (index < current) step.classList.add("is-done");
      node.appendChild(step);
    });
  };

  // --- votes ------------------------------------------------------------------------------

  ui.tally = function (state, postId) {
    var value = state.votes.tallies[String(postId)];
    return value === undefined ? 0 : value;
  };

  ui.ranked = function (state) {
    return Array.from(state.posts.values())
      .filter(function (p) { return !p.hidden && ui.tally(state, p.id) > 0; })
      .sort(function (a, b) { return ui.tally(state, b.id) - ui.tally(state, a.id) || a.seq - b.seq; });
  };

  // --- columns ----------------------------------------------------------------------------

  // The board's columns for this kind of session: themes, prompts, agenda items or groups.
  ui.columns = function (state) {
    var s = state.session;
    if (s.kind === "listening" && state.clusters.length) {
      return {
        keyOf: function (p) { return "cluster:" + p.cluster_id; },
        rest: t("Not grouped yet"),
        list: state.clusters.map(function (c) {
          return { key: "cluster:" + c.id, title: ui.said(state, "cluster", c.id, "name", c.name), say: ["cluster", c.id, "name", c.name], clusterId: c.id, carried: c.carried_forward };
        }),
      };
    }
    if (s.kind === "face_to_face") {
      return {
        keyOf: function (p) { return "item:" + p.agenda_item_id; },
        rest: state.agenda.length ? t("Other notes") : "",
        list: state.agenda.map(function (a) {
          return { key: "item:" + a.id, title: ui.said(state, "agenda_item", a.id, "title", a.title), say: ["agenda_item", a.id, "title", a.title], itemId: a.id, current: a.id === s.current_agenda_item_id };
        }),
      };
    }
    if (s.kind === "co_projecting" || (s.kind !== "listening" && state.groups.length)) {
      return {
        keyOf: function (p) { return "group:" + p.group_id; },
        rest: t("No group"),
        list: state.groups.map(function (g) {
          return { key: "group:" + g.id, title: ui.said(state, "group", g.id, "name", g.name), say: ["group", g.id, "name", g.name], groupId: g.id };
        }),
      };
    }
    return {
      keyOf: function (p) { return "prompt:" + p.prompt_id; },
      rest: state.prompts.length ? t("Other notes") : "",
      list: state.prompts.map(function (p) {
        return { key: "prompt:" + p.id, title: ui.said(state, "prompt", p.id, "text", p.text), say: ["prompt", p.id, "text", p.text], promptId: p.id, current: p.id === s.current_prompt_id };
      }),
    };
  };

  // Newest first: a new note appears at the top, next to the composer, without scrolling.
  ui.newestFirst = function (posts) {
    return posts.slice().sort(function (a, b) { return (b.seq || Infinity) - (a.seq || Infinity); });
  };

  // Draw columns into container. opts: {posts, pending, card(post), only(col) -> bool,
  // keepRest, head(col, header), column(col, section)}
  ui.drawColumns = function (container, spec, opts) {
    var buckets = new Map();
    spec.list.forEach(function (c) { buckets.set(c.key, []); });
    buckets.set("rest", []);
    function put(post) { (buckets.get(spec.keyOf(post)) || buckets.get("rest")).push(post); }
    (opts.pending || []).forEach(put);
    ui.newestFirst(opts.posts).forEach(put);
    var columns = spec.list.slice();
    if (buckets.get("rest").length || opts.keepRest || !columns.length) {
      columns.push({ key: "rest", title: spec.rest || (columns.length ? t("Other notes") : ""), rest: true });
    }
    if (opts.only) columns = columns.filter(opts.only);
    var fragment = document.createDocumentFragment();
    columns.forEach(function (col) {
      var section = ui.el("section", "board-column");
      section.dataset.column = col.key;
      if (col.current) section.classList.add("is-current");
      if (col.title) {
        var header = ui.el("header", "column-head");
        var heading = header.appendChild(ui.text("h2", "column-title", col.title));
        if (col.say && opts.client) {
          heading.lang = ui.say(opts.client.state, col.say[0], col.say[1], col.say[2], col.say[3]).language || "";
          var toggle = ui.originalToggle(opts.client, col.say[0], col.say[1], col.say[2], col.say[3]);
          if (toggle) header.appendChild(toggle);
        }
        if (col.current) header.appendChild(ui.el("span", "badge now", t("Now")));
        if (col.carried) header.appendChild(ui.el("span", "badge carried", t("Carried forward")));
        if (opts.head) opts.head(col, header);
        section.appendChild(header);
      }
      var list = ui.el("ul", "notes");
      buckets.get(col.key).forEach(function (post) { list.appendChild(opts.card(post)); });
      section.appendChild(list);
      if (!buckets.get(col.key).length) section.appendChild(ui.el("p", "column-empty muted", t("No notes yet.")));
      if (opts.column) opts.column(col, section);
      fragment.appendChild(section);
    });
    container.replaceChildren(fragment);
    container.classList.toggle("single", columns.length === 1);
    return columns;
  };

  // --- notes ------------------------------------------------------------------------------

  // opts: {actions(post, box), tags: bool (prompt/phase tags), showTally: bool,
  //        react(post, kind, on, button): the viewer may react (else the counts only)}
  ui.noteCard = function (post, state, opts) {
    opts = opts || {};
    var card = ui.el("li", "note role-" + post.author.role);
    if (post.client_id) card.dataset.clientId = post.client_id;
    if (post.id) card.dataset.postId = post.id;
    if (post.hidden) card.classList.add("is-hidden");
    if (post.pending) card.classList.add("is-pending");
    if (post.id && state.mine.has(post.id)) card.classList.add("is-mine");
    if (post.id && post.id === state.session.spotlight_post_id && !post.hidden) card.classList.add("is-spotlight");
    var editor = post.id ? ui.editor("post:" + post.id) : null;
    if (editor) {
      card.appendChild(editor);
    } else if (ui.noteBody) {
      card.appendChild(ui.noteBody(post, state)); // note_languages.js: translations, voice notes
    } else {
      var text = ui.text("p", "note-text", post.text);
      if (post.language) text.lang = post.language;
      card.appendChild(text);
    }
    var meta = ui.el("p", "note-meta");
    meta.appendChild(ui.el("span", "role-icon", ui.ROLE_ICONS[post.author.role] || "•")).setAttribute("aria-hidden", "true");
    meta.appendChild(ui.text("span", "note-author", post.author.name || t("Anonymous")));
    if (post.author.role !== "migrant") {
      meta.appendChild(ui.el("span", "badge role-badge role-badge-" + post.author.role, ui.ROLE_LABELS[post.author.role] || post.author.role));
    }
    if (opts.tags) addTags(meta, post, state);
    var used = post.id && ui.usedIn ? ui.usedIn(state, post.id) : 0;
    if (used) {
      meta.appendChild(ui.el("span", "badge used-in", used === 1 ? t("Used in 1 prototype") : t("Used in {count} prototypes", { count: used })));
    }
    if (post.edited_at) meta.appendChild(ui.el("span", "edited", t("edited")));
    if (ui.sendState) ui.sendState(meta, post); // outbox.js: "⏳ Sending…", then "✓ Sent"
    else if (post.pending) meta.appendChild(ui.el("span", "sending", post.failed ? t("Not sent: {reason}", { reason: post.failed }) : t("Sending…")));
    if (post.hidden) meta.appendChild(ui.el("span", "badge warn", t("Hidden")));
    if (card.classList.contains("is-spotlight")) meta.appendChild(ui.el("span", "badge spot", "★ " + t("On the wall")));
    if (ui.noteMeta) ui.noteMeta(meta, post, state, card);
    card.appendChild(meta);
    if (opts.showTally && post.id) {
      var count = ui.tally(state, post.id);
      var tally = ui.el("p", "note-tally", "● " + count);
      tally.setAttribute("role", "img"); // the dots are a picture: their name says the number
      tally.setAttribute("aria-label", count === 1 ? t("1 vote in all") : t("{count} votes in all", { count: count }));
      tally.title = t("Votes in all");
      card.appendChild(tally);
    }
    var reactions = ui.noteReactions ? ui.noteReactions(post, state, opts.react) : null; // reactions.js
    if (reactions) card.appendChild(reactions);
    if (opts.actions && post.id && !editor) {
      var box = ui.el("div", "note-actions");
      opts.actions(post, box);
      if (box.childNodes.length) card.appendChild(box);
    }
    return card;
  };

  function addTags(meta, post, state) {
    if (state.session.kind === "listening" && state.clusters.length && post.prompt_id) {
      var prompt = state.prompts.find(function (p) { return p.id === post.prompt_id; });
      if (prompt) meta.appendChild(ui.saidNode("span", "tag", state, "prompt", prompt.id, "text", prompt.text));
    }
    if (post.phase && state.session.kind === "co_projecting") {
      meta.appendChild(ui.el("span", "tag", ui.PHASE_LABELS[post.phase] || post.phase));
    }
  }

  // --- inline editing ---------------------------------------------------------------------
  // An open editor is kept (the same node) across redraws, so typing is never lost.

  var editors = new Map();

  ui.editor = function (key) { return editors.get(key); };

  // opts: {value, label, multiline, maxLength, save(value) -> Promise<ack>, redraw()}
  ui.openEditor = function (key, opts) {
    var form = ui.el("form", "inline-edit");
    form.dataset.editor = key;
    var field = ui.el(opts.multiline ? "textarea" : "input", "inline-edit-field");
    field.value = opts.value;
    field.dir = "auto";
    if (opts.multiline) field.rows = 3;
    if (opts.maxLength) field.maxLength = opts.maxLength;
    field.setAttribute("aria-label", opts.label || t("Edit"));
    var row = ui.el("div", "inline-edit-row");
    var save = ui.el("button", "button primary small", t("Save"));
    save.type = "submit";
    var cancel = ui.button(t("Cancel"), "ghost small", close);
    var error = ui.el("p", "field-error");
    error.hidden = true;
    row.appendChild(save);
    row.appendChild(cancel);
    form.appendChild(field);
    form.appendChild(row);
    form.appendChild(error);
    function close() { editors.delete(key); opts.redraw(); }
    form.addEventListener("keydown", function (event) { if (event.key === "Escape") close(); });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var value = field.value.trim();
      if (!value) { error.textContent = t("Write something first."); error.hidden = false; return; }
      save.disabled = true;
      opts.save(value).then(function (ack) {
        save.disabled = false;
        if (ack.ok) { close(); return; }
        error.textContent = ack.error.message;
        error.hidden = false;
      });
    });
    editors.set(key, form);
    opts.redraw();
    setTimeout(function () { field.focus(); }, 0);
  };

  // Redraw without losing the place where someone is typing.
  ui.keepFocus = function (draw) {
    var active = document.activeElement;
    var start = null;
    var end = null;
    try { start = active.selectionStart; end = active.selectionEnd; } catch (e) { /* not a text field */ }
    draw();
    if (active && active !== document.body && active.isConnected && document.activeElement !== active) {
      active.focus({ preventScroll: true });
      if (start !== null) { try { active.setSelectionRange(start, end); } catch (e) { /* ignore */ } }
    }
  };

  // --- commitments ------------------------------------------------------------------------

  ui.commitment = function (c, state) {
    var item = ui.el("li", "commitment-card status-line-" + c.status);
    item.dataset.commitmentId = c.id;
    item.appendChild(ui.saidNode("p", "commitment-what", state, "commitment", c.id, "what", c.what));
    var meta = ui.el("p", "commitment-meta");
    meta.appendChild(ui.el("span", "commitment-status cstatus-" + c.status, ui.STATUS_LABELS[c.status] || c.status));
    meta.appendChild(ui.el("span", null, t("Who:")));
    meta.appendChild(ui.text("strong", "commitment-who", c.who));
    if (c.by_when) meta.appendChild(ui.el("span", "commitment-when", t("by {date}", { date: c.by_when })));
    item.appendChild(meta);
    var item2 = c.agenda_item_id && state.agenda.find(function (a) { return a.id === c.agenda_item_id; });
    var by = ui.el("p", "commitment-by muted");
    var recorder = ui.text("span", null, c.recorded_by.name);
    var icon = (ui.ROLE_ICONS[c.recorded_by.role] || "") + " ";
    if (item2) {
      by.appendChild(ui.fill(icon + t("recorded by {name} · on {item}"), { name: recorder, item: ui.text("span", null, item2.title) }));
    } else {
      by.appendChild(ui.fill(icon + t("recorded by {name}"), { name: recorder }));
    }
    item.appendChild(by);
    if (c.public_update) item.appendChild(ui.saidNode("p", "commitment-update", state, "commitment", c.id, "public_update", c.public_update));
    return item;
  };
})();
