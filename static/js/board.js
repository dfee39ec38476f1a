// The live board, for tablets and for the trainer's console.
//
// How nothing gets lost:
// - the board is loaded over HTTP, then every change arrives as a Socket.IO event carrying
//   its `seq`; the page remembers the last seq it applied;
// - on every (re)connect, and whenever a seq is skipped, it calls `sync {since: lastSeq}`
//   and applies what it missed;
// - a note is kept in an outbox (memory + localStorage) with its client_id until the server
//   acknowledges it, and sent again after a reconnect: the server keeps one post per client_id.
(function () {
  "use strict";

  var root = document.getElementById("board");
  if (!root) return;
  var sessionId = Number(root.dataset.sessionId);
  var mode = root.dataset.mode; // "tablet" or "console"
  var storeKey = "ponte:session:" + sessionId;
  var isConsole = mode === "console";

  var me = null;
  var auth;
  var headers = {};
  if (isConsole) {
    auth = { session_id: sessionId };
  } else {
    me = readJSON(storeKey);
    if (!me || !me.token) {
      window.location.href = root.dataset.joinUrl;
      return;
    }
    auth = { token: me.token };
    headers.Authorization = "Bearer " + me.token;
  }

  var state = {
    status: root.dataset.status,
    lastSeq: 0,
    posts: new Map(), // id -> post
    groups: [],
    prompts: [],
    people: 0,
    target: null, // {kind: "group"|"prompt", id}
  };
  // Kept per person: on a shared tablet, the next person never sends or sees the last one's words.
  var personKey = storeKey + ":" + (me ? "p" + me.participant_id : "staff");
  var outboxKey = personKey + ":outbox";
  var draftKey = personKey + ":draft";
  var outbox = new Map((readJSON(outboxKey) || []).map(function (item) { return [item.client_id, item]; }));
  var syncing = false;
  var syncAgain = false;

  var els = {
    columns: document.getElementById("columns"),
    empty: document.getElementById("empty-board"),
    composer: document.getElementById("composer"),
    text: document.getElementById("composer-text"),
    count: document.getElementById("composer-count"),
    error: document.getElementById("composer-error"),
    targets: document.getElementById("targets"),
    connection: document.getElementById("connection"),
    readonly: document.getElementById("readonly-banner"),
    readonlyText: document.getElementById("readonly-text"),
    people: document.getElementById("people-count"),
    status: document.getElementById("session-status"),
    me: document.getElementById("me"),
    title: document.getElementById("session-title"),
    refused: document.getElementById("refused"),
    leave: document.getElementById("leave"),
  };

  // --- small helpers ----------------------------------------------------------------------

  function readJSON(key) {
    try { return JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { return null; }
  }

  function saveOutbox() {
    var items = Array.from(outbox.values()).map(function (item) {
      return { client_id: item.client_id, text: item.text, group_id: item.group_id,
               prompt_id: item.prompt_id, refused: item.refused || null };
    });
    localStorage.setItem(outboxKey, JSON.stringify(items));
  }

  function uuid4() {
    // crypto.randomUUID needs https; tablets often reach Ponte over plain http on the LAN.
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text; // never innerHTML: notes are untrusted
    return node;
  }

  var ROLE_LABELS = {
    migrant: "Participant", decision_maker: "Decision maker", mediator: "Mediator",
    trainer: "Trainer", staff: "Staff",
  };
  var ROLE_ICONS = { migrant: "🙋", decision_maker: "🏛️", mediator: "🗣️", trainer: "🧭", staff: "🧭" };

  // --- drawing ----------------------------------------------------------------------------

  function columnsSpec() {
    if (state.groups.length) {
      return state.groups.map(function (g) { return { key: "group:" + g.id, title: g.name, kind: "group", id: g.id }; });
    }
    if (state.prompts.length) {
      return state.prompts.map(function (p) { return { key: "prompt:" + p.id, title: p.text, kind: "prompt", id: p.id }; });
    }
    return [];
  }

  function columnKey(post) {
    if (state.groups.length && post.group_id) return "group:" + post.group_id;
    if (state.prompts.length && post.prompt_id) return "prompt:" + post.prompt_id;
    return "general";
  }

  function render() {
    var spec = columnsSpec();
    var buckets = new Map();
    spec.forEach(function (c) { buckets.set(c.key, []); });
    buckets.set("general", []);
    // Newest first: a new note appears at the top, next to the composer, without scrolling.
    var posts = Array.from(state.posts.values()).sort(function (a, b) { return b.seq - a.seq; });
    posts.forEach(function (post) {
      var key = columnKey(post);
      (buckets.get(key) || buckets.get("general")).push(post);
    });
    outbox.forEach(function (item) {
      if (item.refused) return;
      var pending = {
        id: null, client_id: item.client_id, text: item.text, group_id: item.group_id,
        prompt_id: item.prompt_id, author: { name: me ? me.name : "", role: me ? me.role : "trainer" },
        language: me ? me.language : "", pending: true, failed: item.failed,
      };
      (buckets.get(columnKey(pending)) || buckets.get("general")).unshift(pending);
    });

    var fragment = document.createDocumentFragment();
    var columns = spec.slice();
    if (buckets.get("general").length || !columns.length) {
      columns.push({ key: "general", title: columns.length ? "Other notes" : "" });
    }
    columns.forEach(function (c) {
      var column = el("section", "board-column");
      column.dataset.column = c.key;
      if (c.title) column.appendChild(el("h2", "column-title", c.title));
      var list = el("ul", "notes");
      buckets.get(c.key).forEach(function (post) { list.appendChild(renderPost(post)); });
      column.appendChild(list);
      fragment.appendChild(column);
    });
    els.columns.replaceChildren(fragment);
    els.empty.hidden = posts.length + outbox.size > 0;
    els.columns.classList.toggle("single", columns.length === 1);
    renderRefused();
  }

  // Notes the server refused for good stay visible with the reason: words are never lost.
  function renderRefused() {
    var list = document.createDocumentFragment();
    outbox.forEach(function (item) {
      if (!item.refused) return;
      var row = el("li", "note is-refused");
      var text = el("p", "note-text", item.text);
      text.dir = "auto";
      row.appendChild(text);
      row.appendChild(el("p", "field-error", "Not posted: " + item.refused));
      var edit = el("button", "button small", "Edit");
      edit.type = "button";
      edit.hidden = state.status !== "live";
      edit.addEventListener("click", function () {
        els.text.value = item.text;
        updateCount();
        outbox.delete(item.client_id);
        saveOutbox();
        render();
        els.text.focus();
      });
      var remove = el("button", "button small ghost", "Remove");
      remove.type = "button";
      remove.addEventListener("click", function () {
        outbox.delete(item.client_id);
        saveOutbox();
        render();
      });
      row.appendChild(edit);
      row.appendChild(remove);
      list.appendChild(row);
    });
    els.refused.replaceChildren(list);
  }

  function renderPost(post) {
    var card = el("li", "note role-" + post.author.role);
    card.dataset.clientId = post.client_id;
    if (post.id) card.dataset.postId = post.id;
    if (post.hidden) card.classList.add("is-hidden");
    if (post.pending) card.classList.add("is-pending");
    var text = el("p", "note-text", post.text);
    text.dir = "auto";
    if (post.language) text.lang = post.language;
    card.appendChild(text);
    var meta = el("p", "note-meta");
    meta.appendChild(el("span", "role-icon", ROLE_ICONS[post.author.role] || "•")).setAttribute("aria-hidden", "true");
    var who = el("span", "note-author", post.author.name);
    who.dir = "auto";
    meta.appendChild(who);
    if (post.author.role !== "migrant") meta.appendChild(el("span", "badge", ROLE_LABELS[post.author.role] || post.author.role));
    if (post.pending) meta.appendChild(el("span", "sending", post.failed ? "Not sent: " + post.failed : "Sending…"));
    if (post.hidden) meta.appendChild(el("span", "badge warn", "Hidden"));
    card.appendChild(meta);
    if (isConsole && post.id) {
      var button = el("button", "button small " + (post.hidden ? "ghost" : "danger-ghost"), post.hidden ? "Show" : "Hide");
      button.type = "button";
      button.dataset.action = post.hidden ? "unhide_post" : "hide_post";
      button.dataset.postId = post.id;
      card.appendChild(button);
    }
    return card;
  }

  function renderTargets() {
    var spec = columnsSpec();
    els.targets.replaceChildren();
    if (!spec.length) { state.target = null; return; }
    if (!state.target) state.target = { kind: spec[0].kind, id: spec[0].id };
    spec.forEach(function (c) {
      var chip = el("button", "chip", c.title);
      chip.type = "button";
      chip.setAttribute("role", "radio");
      var selected = state.target.kind === c.kind && state.target.id === c.id;
      chip.setAttribute("aria-checked", selected ? "true" : "false");
      chip.addEventListener("click", function () { state.target = { kind: c.kind, id: c.id }; renderTargets(); });
      els.targets.appendChild(chip);
    });
  }

  function renderStatus() {
    var live = state.status === "live";
    els.composer.hidden = !live;
    els.readonly.hidden = live || state.status === "loading";
    els.readonlyText.textContent = state.status === "closed"
      ? "This session is closed. The board is read-only."
      : "This session has not started yet.";
    if (els.status) { els.status.textContent = state.status; els.status.className = "status status-" + state.status; }
    if (els.people) els.people.textContent = String(state.people);
  }

  // --- applying events --------------------------------------------------------------------

  function apply(event) {
    var data = event.data;
    switch (event.type) {
      case "post_created":
      case "post_unhidden":
        if (!isConsole && data.post.hidden) { state.posts.delete(data.post.id); break; }
        state.posts.set(data.post.id, data.post);
        if (outbox.delete(data.post.client_id)) saveOutbox();
        break;
      case "post_hidden":
        if (isConsole) {
          var post = state.posts.get(data.post_id);
          if (post) post.hidden = true;
        } else {
          state.posts.delete(data.post_id);
        }
        break;
      case "session_opened":
      case "session_closed":
        if (isConsole && state.status !== data.session.status && state.status !== "loading") {
          // The console's code, QR and buttons are drawn by the server: redraw them.
          setTimeout(function () { window.location.reload(); }, 300);
        }
        state.status = data.session.status;
        break;
      case "participant_joined":
        state.people += 1;
        break;
    }
  }

  function onLive(type) {
    return function (data) {
      if (typeof data.seq !== "number" || data.seq <= state.lastSeq) return; // already have it
      if (syncing || data.seq !== state.lastSeq + 1) { requestSync(); return; } // missed something
      apply({ type: type, data: data });
      state.lastSeq = data.seq;
      render();
      renderStatus();
    };
  }

  function requestSync() {
    if (syncing) { syncAgain = true; return; }
    syncing = true;
    socket.timeout(15000).emit("sync", { since: state.lastSeq }, function (err, ack) {
      syncing = false;
      if (err || !ack || !ack.ok) { if (socket.connected) setTimeout(requestSync, 2000); return; }
      ack.events.forEach(apply);
      state.lastSeq = Math.max(state.lastSeq, ack.seq);
      render();
      renderStatus();
      if (ack.more || syncAgain) { syncAgain = false; requestSync(); return; }
      flushOutbox();
    });
  }

  // --- sending notes ----------------------------------------------------------------------

  function send(item) {
    if (item.inFlight || item.refused || !socket.connected) return;
    item.inFlight = true;
    var payload = { client_id: item.client_id, text: item.text };
    if (item.group_id) payload.group_id = item.group_id;
    if (item.prompt_id) payload.prompt_id = item.prompt_id;
    socket.timeout(10000).emit("create_post", payload, function (err, ack) {
      item.inFlight = false;
      if (err) return; // no answer: it stays in the outbox and goes again on reconnect
      if (ack.ok) {
        if (isConsole || !ack.post.hidden) state.posts.set(ack.post.id, ack.post);
        outbox.delete(item.client_id);
      } else if (ack.error.code === "internal" || ack.error.code === "unauthorized") {
        item.failed = ack.error.message; // kept: sent again by the retry timer or on reconnect
      } else {
        item.refused = ack.error.message; // kept and shown with the reason, never resent
      }
      saveOutbox();
      render();
    });
  }

  function flushOutbox() {
    outbox.forEach(send);
  }

  // A note whose ack timed out on a connection that stayed up is tried again.
  setInterval(function () { if (socket.connected && !syncing) flushOutbox(); }, 5000);

  function showComposerError(message) {
    els.error.textContent = message;
    els.error.hidden = !message;
  }

  function updateCount() {
    els.count.textContent = els.text.value.length + " / 2000";
    localStorage.setItem(draftKey, els.text.value);
  }

  els.composer.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = els.text.value.trim();
    if (!text) { showComposerError("Write something first."); els.text.focus(); return; }
    showComposerError("");
    var item = { client_id: uuid4(), text: text, group_id: null, prompt_id: null };
    if (state.target) item[state.target.kind + "_id"] = state.target.id;
    outbox.set(item.client_id, item);
    saveOutbox();
    els.text.value = "";
    updateCount();
    render();
    send(item);
    els.text.focus();
  });
  els.text.addEventListener("input", updateCount);
  if (els.leave) {
    els.leave.addEventListener("click", function () {
      // Whoever uses this tablet next starts clean.
      [storeKey, outboxKey, draftKey].forEach(function (key) { localStorage.removeItem(key); });
    });
  }
  els.text.value = localStorage.getItem(draftKey) || "";
  updateCount();

  els.columns.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-action]");
    if (!button) return;
    button.disabled = true;
    socket.timeout(10000).emit(button.dataset.action, { post_id: Number(button.dataset.postId) }, function (err, ack) {
      button.disabled = false;
      if (err || !ack.ok) showComposerError(err ? "No answer from the server. Try again." : ack.error.message);
    });
  });

  // --- connection -------------------------------------------------------------------------

  var socket = io({ auth: auth, transports: ["websocket", "polling"], reconnectionDelayMax: 4000 });

  ["post_created", "post_hidden", "post_unhidden", "session_opened", "session_closed", "participant_joined"]
    .forEach(function (type) { socket.on(type, onLive(type)); });

  socket.on("connect", function () {
    els.connection.hidden = true;
    requestSync();
  });
  socket.on("disconnect", function () {
    els.connection.hidden = false; // one notice per outage; it goes when we are back
  });
  socket.on("connect_error", function (error) {
    if (error && error.data && error.data.code === "unauthorized") {
      socket.disconnect();
      if (!isConsole) {
        localStorage.removeItem(storeKey);
        window.location.href = root.dataset.joinUrl;
      } else {
        window.location.reload();
      }
      return;
    }
    els.connection.hidden = false;
  });

  function loadBoard(attempt) {
    attempt = attempt || 0;
    fetch("/api/sessions/" + sessionId + "/board", { headers: headers, credentials: "same-origin" })
      .then(function (response) {
        if (response.status === 401 || response.status === 403) {
          if (!isConsole) { localStorage.removeItem(storeKey); window.location.href = root.dataset.joinUrl; }
          throw new Error("not allowed");
        }
        return response.json();
      })
      .then(function (board) {
        state.groups = board.groups;
        state.prompts = board.prompts;
        if (els.title) { els.title.textContent = board.session.title; document.title = board.session.title + " · Ponte"; }
        if (board.seq >= state.lastSeq) {
          // Otherwise a sync answered first and the state is already newer than this snapshot.
          state.status = board.session.status;
          state.people = board.people;
          state.posts = new Map(board.posts.map(function (post) { return [post.id, post]; }));
          state.lastSeq = board.seq;
        }
        // Posts the server already has are no longer pending.
        board.posts.forEach(function (post) { outbox.delete(post.client_id); });
        saveOutbox();
        if (els.me && me) {
          els.me.textContent = (ROLE_ICONS[me.role] || "") + " " + me.name;
        }
        renderTargets();
        render();
        renderStatus();
        if (socket.connected) requestSync();
      })
      .catch(function (error) {
        if (error.message === "not allowed") return;
        setTimeout(function () { loadBoard(attempt + 1); }, Math.min(2000 * (attempt + 1), 10000));
      });
  }

  loadBoard();
})();
