// The tablet: a participant's board. Posts, edits their own notes, votes, picks a group,
// records commitments (decision makers), always showing what the trainer has set up.
(function () {
  "use strict";

  var Ponte = window.Ponte;
  var ui = Ponte.ui;
  var root = document.getElementById("board");
  if (!root || root.dataset.mode !== "tablet") return;
  var sessionId = Number(root.dataset.sessionId);
  var joinUrl = root.dataset.joinUrl;
  var storeKey = "ponte:session:" + sessionId;
  var local = Ponte.readJSON(storeKey);
  var access = Ponte.tabletAccess; // admission.js: waiting for approval, access ended
  if (!access.gate(sessionId, local, joinUrl)) return; // its screen shows instead of the board
  if (!local || !local.token) { window.location.href = joinUrl; return; }

  function $(id) { return document.getElementById(id); }
  var els = {
    title: $("session-title"), me: $("me"), phase: $("phase"), people: $("people-count"),
    banner: $("readonly-banner"), bannerText: $("readonly-text"), bannerIcon: $("readonly-icon"), now: $("now-line"), nowLabel: $("now-label"),
    nowText: $("now-text"), views: $("view-switch"), mine: $("view-mine"), plenary: $("view-plenary"),
    picker: $("group-picker"), choices: $("group-choices"), voteBar: $("vote-bar"), left: $("votes-left"),
    total: $("votes-total"), targets: $("targets"), hint: $("composer-hint"), columns: $("columns"),
    empty: $("empty-board"), commitments: $("commitments"), commitmentForm: $("commitment-form"),
    commitmentList: $("commitment-list"), commitmentError: $("commitment-error"), leave: $("leave"),
  };

  var client = Ponte.connect({
    sessionId: sessionId, mode: "tablet", status: "loading",
    auth: { token: local.token }, headers: { Authorization: "Bearer " + local.token },
    onUnauthorized: function () { access.unauthorized(); },
  });
  var state = client.state;
  var view = { plenary: false, target: null };

  function voting() { return state.session.kind === "co_projecting" && state.session.phase === "vote"; }
  function canWrite() { return state.session.status === "live" && !state.session.locked && !voting(); }
  function canVote() { return voting() && state.session.status === "live" && !state.session.locked; }
  function myGroup() {
    return state.me && state.me.group_id ? state.groups.find(function (g) { return g.id === state.me.group_id; }) : null;
  }

  var composer = Ponte.composer(client, {
    personKey: storeKey + ":p" + local.participant_id,
    author: function () { return { name: local.name, role: local.role }; },
    target: target, canWrite: canWrite, redraw: client.changed,
  });

  // Voice notes (voice.js): recorded here, uploaded over HTTP with this tablet's token.
  var voice = Ponte.voiceRecorder ? Ponte.voiceRecorder(client, {
    url: "/api/sessions/" + sessionId + "/voice", token: local.token, container: $("composer"),
    values: composer.values, target: target, uuid: Ponte.uuid4, personKey: storeKey + ":p" + local.participant_id,
  }) : null;
  var react = ui.reactWith ? ui.reactWith(client) : null;
  var languageButton = $("language-button");
  if (languageButton && ui.languageSwitcher) ui.languageSwitcher(client, languageButton, function (code) {
    local.language = code;
    localStorage.setItem(storeKey, JSON.stringify(local));
  });

  // Consent is the person's, asked once in their language: the first time they join, and
  // from "My choices" whenever they want to change it.
  var consentButton = $("consent-button");
  var consent = Ponte.consentDialog(client, { language: function () { return local.language; } });
  if (consentButton) consentButton.addEventListener("click", function () { consent.open(); });
  client.on("loaded", function () {
    var mine = state.me && state.me.consent;
    if (!mine) return;
    if (consentButton) consentButton.hidden = false;
    if (!mine.asked) consent.open();
  });

  var prototypes = Ponte.tabletPrototypes(client, {
    storeKey: storeKey + ":p" + local.participant_id, myGroup: myGroup,
    plenary: function () { return view.plenary; },
  });

  function forget() {
    return Promise.all([composer.forget(), prototypes.forget(), voice ? voice.forget() : null]);
  }
  access.watch(client, { forget: forget }); // removed or erased: the ended screen

  if (els.leave) els.leave.addEventListener("click", function (event) {
    // Whoever uses this tablet next starts clean (once the device has forgotten, we go).
    event.preventDefault();
    localStorage.removeItem(storeKey);
    access.leave(els.leave.href); // forget(), then the whole session off the device
  });

  // --- where a note goes ------------------------------------------------------------------

  function choices() {
    var s = state.session;
    if (s.kind === "listening") {
      var shown = state.prompts.filter(function (p) { return !s.current_prompt_id || p.id === s.current_prompt_id; });
      return shown.map(function (p) { return { kind: "prompt", id: p.id, title: ui.said(state, "prompt", p.id, "text", p.text) }; });
    }
    if (s.kind === "co_projecting" && !myGroup()) {
      return state.groups.map(function (g) { return { kind: "group", id: g.id, title: groupName(g) }; });
    }
    return [];
  }

  function target() {
    var s = state.session;
    var t = { agenda_item_id: s.current_agenda_item_id || null };
    var group = myGroup();
    if (group) t.group_id = group.id;
    if (view.target) t[view.target.kind + "_id"] = view.target.id;
    return t;
  }

  function groupName(g) { return ui.said(state, "group", g.id, "name", g.name); }

  function drawTargets() {
    var list = choices();
    view.target = ui.targetChips(els.targets, list, view.target, function (target) {
      view.target = target;
      client.changed();
    });
    var hint = "";
    var group = myGroup();
    var item = state.agenda.find(function (a) { return a.id === state.session.current_agenda_item_id; });
    if (group) hint = t("Your note goes to your group: {group}", { group: groupName(group) });
    else if (item) hint = t("Your note goes under: {item}", { item: ui.said(state, "agenda_item", item.id, "title", item.title) });
    els.hint.textContent = hint;
    els.hint.hidden = !hint;
  }

  // --- the header -------------------------------------------------------------------------

  function bannerText() {
    var s = state.session;
    if (s.status === "closed") return t("This session is closed. The board is read-only.");
    if (s.status === "draft") return t("This session has not started yet.");
    if (s.status !== "live") return "";
    if (s.locked) return t("The trainer has paused the board. Listen for now; you can write again soon.");
    if (voting()) return t("Voting time: writing is paused. Put your dots on the notes you like most.");
    return "";
  }

  function drawHeader() {
    var s = state.session;
    var title = ui.said(state, "session", s.id, "title", s.title);
    els.title.textContent = title;
    document.title = title + " · Ponte";
    var group = myGroup();
    els.me.textContent = (ui.ROLE_ICONS[state.me.role] || "") + " " + state.me.name + (group ? " · " + groupName(group) : "");
    els.phase.hidden = s.kind !== "co_projecting" || !s.phase;
    els.phase.textContent = t("Phase: {phase}", { phase: ui.PHASE_LABELS[s.phase] || "" });
    els.people.textContent = String(state.people);
    var text = bannerText();
    els.banner.hidden = !text;
    var vote = voting() && s.status === "live" && !s.locked;
    els.banner.classList.toggle("is-vote", vote);
    els.bannerIcon.textContent = vote ? "🗳️" : "🔒";
    els.bannerText.textContent = text;

    var now = ui.nowLine(state);
    els.now.hidden = !now;
    if (now) {
      els.nowLabel.textContent = now.label;
      els.nowText.textContent = now.text;
      els.nowText.lang = now.language || "";
    }
  }

  function drawGroups() {
    var s = state.session;
    var co = s.kind === "co_projecting" && state.groups.length > 0;
    var group = myGroup();
    els.views.hidden = !co || !group;
    if (group) els.mine.textContent = t("My group: {group}", { group: groupName(group) });
    els.mine.setAttribute("aria-pressed", String(!view.plenary));
    els.plenary.setAttribute("aria-pressed", String(view.plenary));

    els.picker.hidden = !co || s.group_choice !== "self" || s.status !== "live";
    els.picker.classList.toggle("is-needed", !group);
    els.choices.replaceChildren();
    state.groups.forEach(function (g) {
      var chip = ui.el("button", "chip big-chip", groupName(g));
      chip.type = "button";
      chip.dir = "auto";
      chip.setAttribute("role", "radio");
      chip.setAttribute("aria-checked", String(!!group && group.id === g.id));
      chip.addEventListener("click", function () {
        ui.act(client, "choose_group", { group_id: g.id }, chip).then(function (ack) {
          if (ack.ok) { state.me.group_id = g.id; view.plenary = false; client.changed(); }
        });
      });
      els.choices.appendChild(chip);
    });

    els.voteBar.hidden = !voting();
    els.left.textContent = String(state.votes.left);
    els.total.textContent = String(state.votes.allowance);
  }

  els.mine.addEventListener("click", function () { view.plenary = false; client.changed(); });
  els.plenary.addEventListener("click", function () { view.plenary = true; client.changed(); });

  // --- notes ------------------------------------------------------------------------------

  function actions(post, box) {
    if (canWrite() && state.mine.has(post.id)) {
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
    if (!canVote()) return;
    var dots = state.votes.mine[String(post.id)] || 0;
    var vote = ui.el("div", "vote-controls");
    var minus = ui.button("", "vote-minus", function () { sendVote("retract_vote", post, minus); });
    minus.appendChild(ui.el("span", null, "−")).setAttribute("aria-hidden", "true");
    minus.appendChild(ui.el("span", "visually-hidden", t("Take a dot back"))); // its name, said not shown
    minus.hidden = dots === 0;
    var mine = ui.el("span", "my-dots-box");
    mine.hidden = dots === 0;
    mine.appendChild(ui.el("span", "my-dots-label", t("Yours")));
    var mineText = mine.appendChild(ui.el("span", "my-dots", "●".repeat(dots)));
    mineText.setAttribute("role", "img");
    mineText.setAttribute("aria-label", dots === 1 ? t("1 of your votes") : t("{count} of your votes", { count: dots }));
    var plus = ui.button("● " + t("Vote"), "primary vote-plus", function () { sendVote("cast_vote", post, plus); });
    plus.disabled = state.votes.left <= 0;
    vote.appendChild(minus);
    vote.appendChild(mine);
    vote.appendChild(plus);
    box.appendChild(vote);
  }

  function sendVote(type, post, button) {
    ui.act(client, type, { post_id: post.id }, button).then(function (ack) {
      if (ack.ok) client.applyVoteAck(ack);
      else client.changed();
    });
  }

  function drawBoard() {
    var group = myGroup();
    var spec = ui.columns(state);
    var posts = Array.from(state.posts.values());
    var onlyMine = state.session.kind === "co_projecting" && group && !view.plenary;
    ui.drawColumns(els.columns, spec, {
      posts: posts,
      client: client,
      pending: composer.pending(),
      only: onlyMine ? function (col) { return col.groupId === group.id; } : null,
      card: function (post) {
        return ui.noteCard(post, state, { actions: actions, tags: true, showTally: state.votes.revealed, react: react });
      },
    });
    els.empty.hidden = posts.length + composer.count() > 0;
  }

  // --- commitments ------------------------------------------------------------------------

  function drawCommitments() {
    var s = state.session;
    var f2f = s.kind === "face_to_face";
    els.commitments.hidden = !f2f && !state.commitments.length;
    var mayRecord = f2f && state.me.role === "decision_maker" && s.status === "live" && !s.locked;
    els.commitmentForm.hidden = !mayRecord;
    var who = els.commitmentForm.elements.who;
    if (mayRecord && !who.value && !who.dataset.touched) who.value = state.me.name;
    var list = document.createDocumentFragment();
    state.commitments.forEach(function (c) { list.appendChild(ui.commitment(c, state)); });
    if (!state.commitments.length) list.appendChild(ui.el("li", "muted", t("No commitment recorded yet.")));
    els.commitmentList.replaceChildren(list);
  }

  els.commitmentForm.elements.who.addEventListener("input", function (event) { event.target.dataset.touched = "1"; });
  els.commitmentForm.addEventListener("submit", function (event) {
    event.preventDefault();
    var form = els.commitmentForm;
    var payload = { what: form.elements.what.value.trim(), who: form.elements.who.value.trim() };
    if (form.elements.by_when.value) payload.by_when = form.elements.by_when.value;
    if (!payload.what || !payload.who) {
      els.commitmentError.textContent = t("Say what will be done, and who will do it.");
      els.commitmentError.hidden = false;
      return;
    }
    var submit = form.querySelector("button[type=submit]");
    submit.disabled = true;
    client.request("record_commitment", payload).then(function (ack) {
      submit.disabled = false;
      els.commitmentError.hidden = ack.ok;
      if (!ack.ok) { els.commitmentError.textContent = ack.error.message; return; }
      form.elements.what.value = "";
      form.elements.by_when.value = "";
      ui.toast(t("Commitment recorded. Everyone can see it now."));
    });
  });

  // --- drawing ----------------------------------------------------------------------------

  // Mediators: what of the session still needs a translation, one tap to give it.
  var drawCoverage = Ponte.coveragePanel(client, els.commitments.parentNode);

  function draw() {
    if (!state.loaded) return;
    ui.keepFocus(function () {
      drawCoverage();
      drawHeader();
      drawGroups();
      drawTargets();
      composer.draw(canWrite());
      if (voice) voice.draw(canWrite());
      prototypes.draw();
      drawBoard();
      drawCommitments();
    });
  }

  client.on("change", draw);
  ui.runClock(client);
})();
