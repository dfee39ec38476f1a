// The trainer's console: the room's controls (phase, timer, lock, anonymity, projector),
// the board with moderation (spotlight, hide, move into themes by drag and drop or menu),
// and the side panels of console_panels.js.
(function () {
  "use strict";

  var Ponte = window.Ponte;
  var ui = Ponte.ui;
  var root = document.getElementById("board");
  if (!root || root.dataset.mode !== "console") return;
  var sessionId = Number(root.dataset.sessionId);
  var renderedStatus = root.dataset.status; // the code, QR and open/close buttons are drawn by the server

  function $(id) { return document.getElementById(id); }
  var els = {
    status: $("session-status"), phaseBar: $("phase-bar"), next: $("next-phase"),
    minutes: $("timer-minutes"), start: $("timer-start"), stop: $("timer-stop"),
    lock: $("lock-toggle"), anonymous: $("anonymous-toggle"), anonymousHint: $("anonymous-hint"),
    projector: $("projector-link"), attendance: $("attendance"), targets: $("targets"),
    columns: $("columns"), empty: $("empty-board"), banner: $("readonly-banner"), bannerText: $("readonly-text"),
  };

  var client = Ponte.connect({
    sessionId: sessionId, mode: "console", status: renderedStatus,
    auth: { session_id: sessionId },
    onUnauthorized: function () { window.location.reload(); },
  });
  var state = client.state;
  var view = { target: null, dragging: null, deferred: false };
  var drawPanels = Ponte.consolePanels(client);
  var drawPrototypes = Ponte.consolePrototypes(client);
  var drawAccess = Ponte.consoleAccess(client); // console_access.js: admission, the door, removal, new code

  var STATUS_WORDS = { draft: t("draft"), live: t("live"), closed: t("closed") };

  function act(type, payload, button) { return ui.act(client, type, payload, button); }
  function voting() { return state.session.kind === "co_projecting" && state.session.phase === "vote"; }
  function canWrite() { return state.session.status === "live" && !voting(); }
  function sorting() { return state.session.kind === "listening" && state.clusters.length > 0; }

  var composer = Ponte.composer(client, {
    personKey: "ponte:session:" + sessionId + ":staff",
    author: function () { return { name: state.me ? state.me.name : "", role: state.me ? state.me.role : "trainer" }; },
    target: function () {
      var t = { agenda_item_id: state.session.current_agenda_item_id || null };
      if (view.target) t[view.target.kind + "_id"] = view.target.id;
      return t;
    },
    canWrite: canWrite, redraw: client.changed,
  });

  // --- the room's controls ----------------------------------------------------------------

  if (els.next) els.next.addEventListener("click", function () { act("advance_phase", {}, els.next); });
  els.start.addEventListener("click", function () {
    var minutes = Number(els.minutes.value);
    if (!(minutes > 0)) { els.minutes.focus(); return; }
    act("start_timer", { seconds: Math.round(minutes * 60) }, els.start);
  });
  els.stop.addEventListener("click", function () { act("stop_timer", {}, els.stop); });
  els.lock.addEventListener("click", function () { act("lock_board", { locked: !state.session.locked }, els.lock); });
  els.anonymous.addEventListener("click", function () {
    act("set_anonymous", { anonymous: !state.session.anonymous }, els.anonymous);
  });

  function drawControls() {
    var s = state.session;
    if (els.phaseBar) {
      ui.phaseBar(state, els.phaseBar, function (phase, button) { act("advance_phase", { phase: phase }, button); });
    }
    if (els.next) {
      var last = ui.PHASES.indexOf(s.phase) === ui.PHASES.length - 1;
      els.next.disabled = last;
      var following = ui.PHASES[ui.PHASES.indexOf(s.phase) + 1];
      els.next.textContent = last ? t("Last phase") : t("Next phase: {phase}", { phase: ui.PHASE_LABELS[following] }) + " ";
      if (!last) els.next.appendChild(ui.arrow("→"));
    }
    els.stop.disabled = !(s.timer && s.timer.ends_at);
    els.lock.textContent = s.locked ? "🔓 " + t("Unlock the board") : "🔒 " + t("Lock the board");
    els.lock.setAttribute("aria-pressed", String(!!s.locked));
    els.lock.classList.toggle("danger", !!s.locked);
    els.anonymous.textContent = s.anonymous ? t("Anonymous: on") : t("Anonymous: off");
    els.anonymous.setAttribute("aria-pressed", String(!!s.anonymous));
    var notes = state.posts.size > 0;
    els.anonymous.disabled = notes;
    els.anonymousHint.hidden = !notes;
    if (state.projectorKey) {
      els.projector.href = "/sessions/" + sessionId + "/projector?key=" + encodeURIComponent(state.projectorKey);
      els.projector.hidden = false;
    }
    ui.attendance(state, els.attendance);
    if (els.status) { els.status.textContent = STATUS_WORDS[s.status] || s.status; els.status.className = "status status-" + s.status; }
    var text = s.status === "live" ? (s.locked ? t("The board is locked: only you can post.") : voting() ? t("Vote phase: nobody can post.") : "") : "";
    if (s.status === "closed") text = t("This session is closed. The board is read-only.");
    if (s.status === "draft") text = t("This session has not started yet. You can prepare it now.");
    els.banner.hidden = !text;
    els.bannerText.textContent = text;
  }

  function drawTargets() {
    var s = state.session;
    var list = [];
    if (s.kind === "listening") {
      list = state.prompts.filter(function (p) { return !s.current_prompt_id || p.id === s.current_prompt_id; })
        .map(function (p) { return { kind: "prompt", id: p.id, title: p.text }; });
    } else if (s.kind === "co_projecting") {
      list = state.groups.map(function (g) { return { kind: "group", id: g.id, title: g.name }; });
    }
    view.target = ui.targetChips(els.targets, list, view.target, function (target) {
      view.target = target;
      client.changed();
    });
  }

  // --- the board --------------------------------------------------------------------------

  function moveMenu(post) {
    var select = ui.el("select", "move-select");
    select.setAttribute("aria-label", t("Move to…"));
    var first = ui.el("option", null, t("Move to…"));
    first.value = "";
    first.disabled = true;
    select.appendChild(first);
    state.clusters.forEach(function (c) {
      var option = ui.el("option", null, c.name);
      option.value = String(c.id);
      option.selected = post.cluster_id === c.id;
      select.appendChild(option);
    });
    var none = ui.el("option", null, t("Not grouped"));
    none.value = "none";
    none.selected = !post.cluster_id;
    select.appendChild(none);
    select.addEventListener("change", function () {
      select.blur();
      move(post.id, select.value === "none" ? null : Number(select.value));
    });
    return select;
  }

  function move(postId, clusterId) {
    var post = state.posts.get(postId);
    if (!post || (post.cluster_id || null) === clusterId) return;
    act("move_post", { post_id: postId, cluster_id: clusterId });
  }

  function actions(post, box) {
    if (!post.hidden) {
      var spotlit = state.session.spotlight_post_id === post.id;
      var spot = ui.button(spotlit ? "★ " + t("Take off the wall") : "☆ " + t("Spotlight"), "small" + (spotlit ? " primary" : ""), function () {
        act("spotlight_post", { post_id: spotlit ? null : post.id }, spot);
      });
      spot.setAttribute("aria-pressed", String(spotlit));
      box.appendChild(spot);
    }
    var hide = ui.button(post.hidden ? t("Show") : t("Hide"), "small " + (post.hidden ? "ghost" : "danger-ghost"), function () {
      act(post.hidden ? "unhide_post" : "hide_post", { post_id: post.id }, hide);
    });
    box.appendChild(hide);
    if (sorting()) box.appendChild(moveMenu(post));
    if (state.mine.has(post.id) && state.session.status === "live") {
      box.appendChild(ui.button(t("Edit"), "small ghost", function () {
        ui.openEditor("post:" + post.id, {
          value: post.text, multiline: true, maxLength: 2000, label: t("Edit your note"), redraw: client.changed,
          save: function (text) {
            return client.request("edit_post", { post_id: post.id, text: text }).then(function (ack) {
              if (ack.ok) client.applyPostAck(ack.post);
              return ack;
            });
          },
        });
      }));
    }
    if (ui.mediatorActions) ui.mediatorActions(client, post, box); // translate, transcribe
  }

  function drawBoard() {
    var dnd = sorting();
    var posts = Array.from(state.posts.values());
    // Staff always see the dots; they matter from the vote on.
    var tallies = state.session.kind === "co_projecting" && ui.PHASES.indexOf(state.session.phase) >= 2;
    ui.drawColumns(els.columns, ui.columns(state), {
      posts: posts,
      client: client,
      pending: composer.pending(),
      keepRest: dnd,
      card: function (post) {
        var card = ui.noteCard(post, state, { actions: actions, tags: true, showTally: tallies });
        if (dnd && post.id) card.draggable = true;
        return card;
      },
      head: function (col, header) {
        if (col.groupId) {
          var people = state.participants.filter(function (p) { return p.group_id === col.groupId; }).length;
          header.appendChild(ui.el("span", "muted", people === 1 ? t("1 person") : t("{count} people", { count: people })));
        }
      },
      column: function (col, section) {
        if (!dnd) return;
        section.dataset.drop = col.rest ? "none" : String(col.clusterId);
      },
    });
    els.columns.classList.toggle("sorting", dnd);
    els.empty.hidden = posts.length + composer.count() > 0;
  }

  // HTML5 drag and drop of note cards onto theme columns (the "Move to…" menu does the same on touch).
  els.columns.addEventListener("dragstart", function (event) {
    var card = event.target.closest && event.target.closest(".note[data-post-id]");
    if (!card) return;
    view.dragging = Number(card.dataset.postId);
    event.dataTransfer.setData("text/plain", card.dataset.postId);
    event.dataTransfer.effectAllowed = "move";
    card.classList.add("is-dragging");
  });
  els.columns.addEventListener("dragover", function (event) {
    var column = event.target.closest && event.target.closest("[data-drop]");
    if (!column || view.dragging === null) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    els.columns.querySelectorAll(".is-drop-target").forEach(function (c) { if (c !== column) c.classList.remove("is-drop-target"); });
    column.classList.add("is-drop-target");
  });
  els.columns.addEventListener("drop", function (event) {
    var column = event.target.closest && event.target.closest("[data-drop]");
    if (!column) return;
    event.preventDefault();
    var postId = Number(event.dataTransfer.getData("text/plain")) || view.dragging;
    column.classList.remove("is-drop-target");
    move(postId, column.dataset.drop === "none" ? null : Number(column.dataset.drop));
  });
  els.columns.addEventListener("dragend", function () {
    view.dragging = null;
    if (view.deferred) { view.deferred = false; draw(); }
  });
  els.columns.addEventListener("focusout", function (event) {
    if (event.target.tagName === "SELECT") client.changed();
  });

  // --- drawing ----------------------------------------------------------------------------

  var side = document.querySelector(".console-side");
  var drawCoverage = side ? Ponte.coveragePanel(client, side) : function () {};

  function draw() {
    if (!state.loaded) return;
    if (renderedStatus !== "loading" && state.session.status !== renderedStatus) {
      renderedStatus = "loading"; // once
      setTimeout(function () { window.location.reload(); }, 300);
    }
    ui.keepFocus(function () {
      drawControls();
      drawTargets();
      composer.draw(canWrite());
      drawPanels();
      drawPrototypes();
      drawAccess();
      drawCoverage();
      // Redrawing under a dragged card would drop it; a menu being chosen from would close.
      var active = document.activeElement;
      if (view.dragging !== null || (active && active.tagName === "SELECT" && els.columns.contains(active))) {
        view.deferred = true;
        return;
      }
      drawBoard();
    });
  }

  client.on("change", draw);
  ui.runClock(client);
})();
