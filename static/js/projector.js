// The projector: the wall view of a session. Read-only, big type, no login: the key in its
// link opens this one session. It follows the trainer live, like every other screen.
(function () {
  "use strict";

  var Ponte = window.Ponte;
  var ui = Ponte.ui;
  var root = document.getElementById("projector");
  if (!root) return;
  var sessionId = Number(root.dataset.sessionId);
  var key = root.dataset.key;
  var WALL_FEEDBACK = 2;

  function $(id) { return document.getElementById(id); }
  var els = {
    title: $("wall-title"), sub: $("wall-sub"), phase: $("wall-phase"), phases: $("phase-bar"),
    error: $("wall-error"), banner: $("wall-banner"), focus: $("wall-focus"), focusLabel: $("wall-focus-label"),
    focusText: $("wall-focus-text"), spotlight: $("wall-spotlight"), spotText: $("spot-text"),
    spotAuthor: $("spot-author"), results: $("wall-results"), ranking: $("wall-ranking"), columns: $("columns"),
    commitments: $("wall-commitments"), commitmentList: $("wall-commitment-list"), attendance: $("attendance"),
    join: $("wall-join"), qr: $("wall-qr"), code: $("wall-join-code"), joinUrl: $("wall-join-url"),
    prototypes: $("wall-prototypes"), protoList: $("wall-proto-list"),
  };

  var client = Ponte.connect({
    sessionId: sessionId, mode: "projector", status: "loading",
    auth: { session_id: sessionId, projector_key: key },
    headers: { "X-Projector-Key": key },
    onUnauthorized: function () { els.error.hidden = false; },
  });
  var state = client.state;

  function find(list, id) { return list.find(function (x) { return x.id === id; }); }

  // The wall reads in its page's language (?lang=); ?also=ar adds a second one under it.
  var also = new URLSearchParams(window.location.search).get("also") || "";
  function inAlso(subject, id, field, text) {
    if (!also) return null;
    var me = state.me;
    var language = me.language;
    me.language = also;
    var said = ui.say(state, subject, id, field, text);
    me.language = language;
    return said.text && said.text !== ui.said(state, subject, id, field, text) ? said : null;
  }
  function withAlso(node, subject, id, field, text) {
    var said = ui.say(state, subject, id, field, text);
    node.textContent = said.text || "";
    node.lang = said.language || "";
    var second = inAlso(subject, id, field, text);
    if (second) {
      var line = node.appendChild(ui.el("span", "wall-also", second.text));
      line.lang = second.language;
      line.dir = "auto";
    }
  }

  function drawHead() {
    var s = state.session;
    withAlso(els.title, "session", s.id, "title", s.title);
    document.title = ui.said(state, "session", s.id, "title", s.title) + " · Ponte";
    var sub = [state.workshop ? state.workshop.title : "", s.place].filter(Boolean).join(" · ");
    els.sub.textContent = sub;
    var co = s.kind === "co_projecting" && s.phase;
    els.phase.hidden = !co;
    els.phase.textContent = co ? ui.PHASE_LABELS[s.phase] : "";
    els.phases.hidden = !co;
    if (co) ui.phaseBar(state, els.phases);
    var banner = "";
    if (s.status === "closed") banner = t("This session is closed.");
    else if (s.status === "draft") banner = t("This session starts soon.");
    else if (s.locked) banner = "🔒 " + t("The board is paused.");
    else if (s.kind === "co_projecting" && s.phase === "vote") banner = t("Vote now: put your dots on the notes you like most.");
    els.banner.hidden = !banner;
    els.banner.textContent = banner;

    var focus = null;
    if (s.kind === "listening" && s.current_prompt_id) {
      var prompt = find(state.prompts, s.current_prompt_id);
      if (prompt) focus = [t("Question"), "prompt", prompt.id, "text", prompt.text];
    } else if (s.kind === "face_to_face" && s.current_agenda_item_id) {
      var item = find(state.agenda, s.current_agenda_item_id);
      if (item) focus = [t("Now discussing"), "agenda_item", item.id, "title", item.title];
    }
    els.focus.hidden = !focus;
    if (focus) {
      els.focusLabel.textContent = focus[0];
      withAlso(els.focusText, focus[1], focus[2], focus[3], focus[4]);
    }
    ui.attendance(state, els.attendance);
  }

  function drawSpotlight() {
    var post = state.session.spotlight_post_id ? state.posts.get(state.session.spotlight_post_id) : null;
    els.spotlight.hidden = !post;
    if (!post) return;
    var shown = ui.displayText ? ui.displayText(post, state) : post; // in the wall's language when translated
    els.spotText.textContent = shown.text || (post.kind === "voice" ? "🎤 " + t("Voice note") : "");
    els.spotText.lang = shown.language || "";
    els.spotlight.className = "wall-spotlight role-" + post.author.role;
    var who = (ui.ROLE_ICONS[post.author.role] || "") + " " + (post.author.name || t("Anonymous"));
    if (post.author.role !== "migrant") who += " · " + (ui.ROLE_LABELS[post.author.role] || "");
    els.spotAuthor.textContent = who;
  }

  function drawResults() {
    var show = state.session.kind === "co_projecting" && state.votes.revealed;
    els.results.hidden = !show;
    root.classList.toggle("has-results", show);
    if (!show) return;
    var ranked = ui.ranked(state);
    var top = ranked.length ? ui.tally(state, ranked[0].id) : 1;
    els.ranking.replaceChildren();
    ranked.slice(0, 10).forEach(function (post, index) {
      var row = ui.el("li", "wall-result");
      row.dataset.postId = post.id;
      row.appendChild(ui.el("span", "rank", String(index + 1)));
      var body = ui.el("div", "result-body");
      body.appendChild(ui.text("p", "result-text", post.text));
      var bar = ui.el("span", "result-bar");
      bar.style.inlineSize = Math.max(4, Math.round((ui.tally(state, post.id) / top) * 100)) + "%";
      body.appendChild(bar);
      var group = post.group_id && find(state.groups, post.group_id);
      if (group) body.appendChild(ui.saidNode("p", "result-group", state, "group", group.id, "name", group.name));
      row.appendChild(body);
      row.appendChild(ui.el("span", "result-count", "● " + ui.tally(state, post.id)));
      els.ranking.appendChild(row);
    });
    if (!ranked.length) els.ranking.appendChild(ui.el("li", "muted", t("No votes yet.")));
  }

  // How to join, while the session is live: the code and a QR code that opens the join page.
  function drawJoin() {
    var code = state.joinCode;
    els.join.hidden = !code;
    if (!code) return;
    els.code.textContent = code;
    els.joinUrl.textContent = window.location.host + "/join";
    var src = "/sessions/" + sessionId + "/projector/qr.svg?key=" + encodeURIComponent(key) + "&code=" + encodeURIComponent(code);
    if (els.qr.getAttribute("src") !== src) els.qr.setAttribute("src", src);
  }

  // In the prototype and feedback phases the wall shows what the groups built, big.
  function drawPrototypes() {
    var s = state.session;
    var list = ui.prototypesOf(state, null);
    var show = s.kind === "co_projecting" && (s.phase === "prototype" || s.phase === "feedback") && list.length > 0;
    els.prototypes.hidden = !show;
    els.columns.hidden = show;
    if (!show) return;
    els.protoList.replaceChildren();
    list.forEach(function (rec) {
      var item = ui.el("li", "wall-proto");
      item.dataset.prototypeId = rec.id;
      item.appendChild(ui.text("h3", "proto-title", ui.prototypeTitle(rec, state)));
      item.appendChild(ui.prototypeMeta(state, rec));
      if (rec.fields.idea) item.appendChild(ui.text("p", "proto-idea", rec.fields.idea));
      // The newest voices fit on the wall; the whole list is on the tablets and the console.
      var shown = rec.feedback.slice(-WALL_FEEDBACK);
      if (shown.length) item.appendChild(ui.feedbackList(state, Object.assign({}, rec, { feedback: shown })));
      var more = rec.feedback.length - shown.length;
      if (more) item.appendChild(ui.el("p", "feedback-more", "+ " + (more === 1 ? t("1 earlier reaction") : t("{count} earlier reactions", { count: more }))));
      els.protoList.appendChild(item);
    });
  }

  function drawBoard() {
    ui.drawColumns(els.columns, ui.columns(state), {
      posts: Array.from(state.posts.values()),
      card: function (post) { return ui.noteCard(post, state, { showTally: state.votes.revealed }); },
      head: function (col, header) {
        var second = col.say && inAlso(col.say[0], col.say[1], col.say[2], col.say[3]);
        if (second) {
          var line = header.appendChild(ui.text("p", "wall-also column-also", second.text));
          line.lang = second.language;
        }
      },
    });
    var hasCommitments = state.commitments.length > 0;
    els.commitments.hidden = !hasCommitments;
    els.commitmentList.replaceChildren();
    state.commitments.forEach(function (c) { els.commitmentList.appendChild(ui.commitment(c, state)); });
  }

  client.on("change", function () {
    if (!state.loaded) return;
    drawHead();
    drawSpotlight();
    drawResults();
    drawJoin();
    drawPrototypes();
    drawBoard();
  });
  ui.runClock(client);
})();
