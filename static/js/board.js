// The live board's core, shared by the tablet, the trainer's console and the projector.
//
// How every screen ends up agreeing:
// - the board is loaded over HTTP (a snapshot at `seq`), then every change arrives as a
//   Socket.IO event carrying its `seq`; the client remembers the last seq it applied;
// - on every (re)connect, and whenever a seq is skipped, it calls `sync {since: lastSeq}`
//   and applies what it missed, in order; `seq_advanced` (an event this screen may not
//   see) only moves lastSeq on;
// - views never change the state themselves: they send requests and draw what comes back.
// Views subscribe with client.on("change", draw); draws are batched once per tick.
(function () {
  "use strict";

  var Ponte = (window.Ponte = window.Ponte || {});
  // How long an action waits for a connection that is opening before saying there is none.
  var CONNECT_WAIT_MS = 8000;

  function byPosition(a, b) { return a.position - b.position || a.id - b.id; }

  function upsert(list, item) {
    var index = list.findIndex(function (x) { return x.id === item.id; });
    if (index >= 0) list[index] = item; else list.push(item);
    if (item.position !== undefined) list.sort(byPosition);
  }

  function removeById(list, id) {
    var index = list.findIndex(function (x) { return x.id === id; });
    if (index >= 0) list.splice(index, 1);
  }

  // ISO times come with microseconds; Date.parse is only sure of milliseconds.
  function parseTime(iso) {
    if (!iso) return null;
    return Date.parse(iso.replace(/(\.\d{3})\d+/, "$1"));
  }
  Ponte.parseTime = parseTime;

  // A note has one translation per language: a new one replaces the old.
  Ponte.putTranslation = function (post, translation) {
    var list = (post.translations || []).filter(function (x) { return x.language !== translation.language; });
    list.push(translation);
    post.translations = list;
  };

  function emptyState(status) {
    return {
      loaded: false, lastSeq: 0,
      session: { status: status || "loading", timer: { ends_at: null, seconds: null } },
      workshop: null, groups: [], prompts: [], clusters: [], agenda: [],
      posts: new Map(), mine: new Set(), commitments: [],
      votes: { allowance: 0, revealed: false, tallies: {}, mine: {}, left: 0 },
      attendance: { migrant: 0, decision_maker: 0, mediator: 0, trainer: 0 }, people: 0,
      carried: [], participants: [], waiting: [], projectorKey: null, joinCode: null, me: null, clockOffset: 0,
      languageNames: {}, machineTranslation: false, forMediator: [], myReactions: {},
      contentLanguage: "it", contentTranslations: new Map(),
    };
  }

  // options: {sessionId, mode: "tablet"|"console"|"projector", auth, headers, onUnauthorized}
  Ponte.connect = function (options) {
    var isStaff = options.mode === "console";
    var state = emptyState(options.status);
    var listeners = {};
    var syncing = false;
    var syncAgain = false;
    var scheduled = false;
    // post id -> the seq at which the count of one's own dots on it is known (from the board
    // or an ack): a replayed vote of one's own is counted only if it is newer.
    var dotsSeq = {};
    var boardSeq = 0;
    var connection = document.getElementById("connection");

    function on(name, fn) { (listeners[name] = listeners[name] || []).push(fn); }
    function emit(name, arg) { (listeners[name] || []).forEach(function (fn) { fn(arg); }); }

    function changed() {
      if (scheduled) return;
      scheduled = true;
      Promise.resolve().then(function () { scheduled = false; emit("change", state); });
    }

    // --- applying events ------------------------------------------------------------------

    function setPost(post) {
      if (!isStaff && post.hidden) { state.posts.delete(post.id); return; }
      state.posts.set(post.id, post);
      var me = state.me;
      // One's own: what one typed (a mediator's note for someone is the mediator's to edit).
      var typist = post.scribe || post.author;
      if (me && me.participant_id && typist.participant_id === me.participant_id) state.mine.add(post.id);
      emit("post", post);
    }

    function forPosts(fn) { state.posts.forEach(fn); }

    function setLeft() {
      var used = 0;
      Object.keys(state.votes.mine).forEach(function (k) { used += state.votes.mine[k]; });
      state.votes.left = Math.max(0, state.votes.allowance - used);
    }

    // Mediators (and staff) write notes for the people in the room: keep their list fresh.
    function forMediator(p) {
      if (!state.me || !state.me.can_translate || !p.id) return;
      if (state.forMediator.some(function (x) { return x.participant_id === p.id; })) return;
      state.forMediator.push({ participant_id: p.id, name: p.display_name || p.name, role: p.role, language: p.language });
    }

    var HANDLERS = {
      post_created: function (d) { setPost(d.post); },
      post_unhidden: function (d) { setPost(d.post); },
      post_edited: function (d) { if (state.posts.has(d.post.id) || isStaff) setPost(d.post); },
      post_hidden: function (d) {
        if (!isStaff) { state.posts.delete(d.post_id); return; }
        var post = state.posts.get(d.post_id);
        if (post) post.hidden = true;
      },
      post_moved: function (d) {
        var post = state.posts.get(d.post_id);
        if (post) post.cluster_id = d.cluster_id;
      },
      session_opened: function (d) {
        Object.assign(state.session, d.session);
        if (options.mode === "projector") setTimeout(loadBoard, 0); // a new join code
      },
      session_closed: function (d) { Object.assign(state.session, d.session); state.joinCode = null; },
      participant_joined: function (d) {
        if (isStaff) removeById(state.waiting, d.participant.id); // let in from the door
        var role = d.participant.role;
        state.attendance[role] = (state.attendance[role] || 0) + 1;
        state.people += 1;
        if (isStaff && d.participant.id) state.participants.push(Object.assign({ group_id: null }, d.participant));
        forMediator(d.participant);
      },
      trainer_joined: function () { state.attendance.trainer = (state.attendance.trainer || 0) + 1; },
      phase_changed: function (d) { state.session.phase = d.phase; state.session.timer = d.timer; },
      timer_started: function (d) { state.session.timer = d.timer; },
      timer_stopped: function (d) { state.session.timer = d.timer; },
      board_locked: function (d) { state.session.locked = d.locked; },
      anonymity_changed: function (d) { state.session.anonymous = d.anonymous; },
      post_spotlighted: function (d) { state.session.spotlight_post_id = d.post_id; },
      prompt_added: function (d) { upsert(state.prompts, d.prompt); },
      prompt_updated: function (d) { upsert(state.prompts, d.prompt); },
      prompt_removed: function (d) {
        removeById(state.prompts, d.prompt_id);
        forPosts(function (p) { if (p.prompt_id === d.prompt_id) p.prompt_id = null; });
        if (state.session.current_prompt_id === d.prompt_id) state.session.current_prompt_id = null;
      },
      prompt_shown: function (d) { state.session.current_prompt_id = d.prompt_id; },
      cluster_created: function (d) { upsert(state.clusters, d.cluster); },
      cluster_updated: function (d) { upsert(state.clusters, d.cluster); },
      cluster_removed: function (d) {
        removeById(state.clusters, d.cluster_id);
        forPosts(function (p) { if (p.cluster_id === d.cluster_id) p.cluster_id = null; });
        state.agenda.forEach(function (a) { if (a.cluster_id === d.cluster_id) a.cluster_id = null; });
      },
      agenda_item_added: function (d) {
        upsert(state.agenda, d.item);
        (d.translations || []).forEach(function (x) { Ponte.putContentTranslation(state, x); });
        state.session.current_agenda_item_id = d.current;
      },
      agenda_item_updated: function (d) { upsert(state.agenda, d.item); },
      agenda_item_removed: function (d) {
        removeById(state.agenda, d.item_id);
        forPosts(function (p) { if (p.agenda_item_id === d.item_id) p.agenda_item_id = null; });
        if (state.session.current_agenda_item_id === d.item_id) state.session.current_agenda_item_id = null;
      },
      agenda_item_current: function (d) { state.session.current_agenda_item_id = d.item_id; },
      group_added: function (d) { upsert(state.groups, d.group); },
      group_updated: function (d) { upsert(state.groups, d.group); },
      group_choice_changed: function (d) { state.session.group_choice = d.group_choice; },
      participant_assigned: function (d) {
        state.participants.forEach(function (p) { if (p.id === d.participant_id) p.group_id = d.group_id; });
        if (state.me && state.me.participant_id === d.participant_id) state.me.group_id = d.group_id;
      },
      vote_allowance_changed: function (d) {
        state.session.votes_per_participant = d.votes_per_participant;
        state.votes.allowance = d.votes_per_participant;
        setLeft();
      },
      vote_cast: function (d, seq) { applyVote(d, seq, 1); },
      vote_retracted: function (d, seq) { applyVote(d, seq, -1); },
      votes_revealed: function (d) {
        state.session.votes_revealed = d.revealed;
        state.votes.revealed = d.revealed;
        if (isStaff) Object.assign(state.votes.tallies, d.tallies || {});
        else state.votes.tallies = d.revealed ? Object.assign({}, d.tallies) : {};
      },
      commitment_recorded: function (d) { upsert(state.commitments, d.commitment); },
      commitment_updated: function (d) { upsert(state.commitments, d.commitment); },
      content_translated: function (d) { Ponte.putContentTranslation(state, d.translation); },
      post_translated: function (d) {
        var post = state.posts.get(d.post_id);
        if (post) Ponte.putTranslation(post, d.translation);
      },
      reactions_changed: function (d, seq) {
        var post = state.posts.get(d.post_id);
        if (post) { post.reactions = d.reactions; post.reactions_seq = seq; }
      },
      seq_advanced: function () {},
      // Who comes in (docs/protocol.md, "Waiting for approval"), and who no longer may.
      admission_changed: function (d) { state.session.admission = d.admission; },
      participant_waiting: function (d) {
        if (!isStaff || !d.participant || !d.participant.id) return;
        removeById(state.waiting, d.participant.id);
        state.waiting.push(Object.assign({ group_id: null }, d.participant));
      },
      participant_removed: function (d) { removePerson(d.participant_id); },
      join_code_changed: function (d) {
        if (isStaff || options.mode === "projector") state.joinCode = d.join_code;
      },
      // A note deleted when its author's data was erased: gone from every list it was in.
      post_erased: function (d) {
        var key = String(d.post_id);
        state.posts.delete(d.post_id);
        state.mine.delete(d.post_id);
        if (state.session.spotlight_post_id === d.post_id) state.session.spotlight_post_id = null;
        delete state.votes.tallies[key];
        delete state.myReactions[key];
        if (state.votes.mine[key]) { delete state.votes.mine[key]; setLeft(); }
        emit("post_erased", d.post_id);
      },
    };

    var prototypes = Ponte.prototypeStore ? Ponte.prototypeStore({
      state: state, mode: options.mode, headers: options.headers, request: request, changed: changed, emit: emit,
    }) : null;
    if (prototypes) Object.keys(prototypes.handlers).forEach(function (type) {
      var own = HANDLERS[type];
      var theirs = prototypes.handlers[type];
      HANDLERS[type] = own ? function (d, seq) { own(d, seq); theirs(d, seq); } : theirs;
    });

    var recount = null;
    function removePerson(participantId) {
      var person = state.participants.find(function (p) { return p.id === participantId; });
      if (person) {
        state.attendance[person.role] = Math.max(0, (state.attendance[person.role] || 0) - 1);
        state.people = Math.max(0, state.people - 1);
      }
      removeById(state.participants, participantId);
      removeById(state.waiting, participantId);
      state.forMediator = state.forMediator.filter(function (x) { return x.participant_id !== participantId; });
      // The wall counts people by role but does not know who was whom: the board does.
      if (options.mode === "projector" && !recount) recount = setTimeout(function () { recount = null; loadBoard(); }, 300);
      emit("participant_removed", participantId);
    }

    function applyVote(d, seq, delta) {
      var key = String(d.post_id);
      if (d.tally !== undefined) state.votes.tallies[key] = d.tally;
      // One's own dots come back only in a sync replay, never live. The board or the ack of
      // cast_vote may have counted this one already: its seq says.
      var me = state.me;
      if (!me || !me.participant_id || d.participant_id !== me.participant_id) return;
      if (seq <= (dotsSeq[key] || boardSeq)) return;
      dotsSeq[key] = seq;
      var dots = Math.max(0, (state.votes.mine[key] || 0) + delta);
      if (dots) state.votes.mine[key] = dots; else delete state.votes.mine[key];
      setLeft();
    }

    function apply(type, data, seq) {
      var handler = HANDLERS[type];
      if (handler) handler(data, seq);
    }

    function applyBoard(board) {
      var loaded = state.loaded;
      state.session = board.session;
      state.workshop = board.workshop;
      state.groups = board.groups;
      state.prompts = board.prompts;
      state.clusters = board.clusters;
      state.agenda = board.agenda;
      state.contentLanguage = board.content_language || "it";
      state.contentTranslations = new Map();
      (board.content_translations || []).forEach(function (x) { Ponte.putContentTranslation(state, x); });
      state.posts = new Map(board.posts.map(function (p) { return [p.id, p]; }));
      state.mine = new Set(board.mine || []);
      state.commitments = board.commitments || [];
      state.votes = Object.assign({ tallies: {}, mine: {} }, board.votes);
      state.attendance = board.attendance || {};
      state.people = board.people || 0;
      state.carried = board.carried_themes || [];
      state.participants = board.participants || [];
      state.waiting = board.waiting || [];
      state.languageNames = board.language_names || {};
      state.machineTranslation = !!board.machine_translation;
      state.forMediator = board.participants_for_mediator || [];
      state.myReactions = board.my_reactions || {};
      state.projectorKey = board.projector_key || null;
      state.joinCode = board.join_code || null;
      state.me = board.me;
      state.lastSeq = board.seq;
      boardSeq = board.seq;
      dotsSeq = {};
      state.clockOffset = (parseTime(board.server_now) || Date.now()) - Date.now();
      state.loaded = true;
      board.posts.forEach(function (p) { emit("post", p); });
      if (prototypes) prototypes.load();
      emit(loaded ? "reloaded" : "loaded", state);
    }

    // --- live events and sync -------------------------------------------------------------

    function onLive(type) {
      return function (data) {
        if (!state.loaded) return; // the board, or the sync right after it, will have it
        if (!data || typeof data.seq !== "number" || data.seq <= state.lastSeq) return;
        if (syncing || data.seq !== state.lastSeq + 1) { requestSync(); return; }
        apply(type, data, data.seq);
        state.lastSeq = data.seq;
        changed();
      };
    }

    function requestSync() {
      if (!state.loaded) return;
      if (syncing) { syncAgain = true; return; }
      syncing = true;
      socket.timeout(15000).emit("sync", { since: state.lastSeq }, function (err, ack) {
        syncing = false;
        if (err || !ack || !ack.ok) { if (socket.connected) setTimeout(requestSync, 2000); return; }
        var before = state.lastSeq;
        ack.events.forEach(function (event) {
          if (event.seq > state.lastSeq) apply(event.type, event.data, event.seq);
        });
        state.lastSeq = Math.max(state.lastSeq, ack.seq);
        // Nothing new (the usual answer right after loading the board): no redraw, which on
        // a board of 1,000 notes costs as much as the first drawing (bench/board_load.py).
        if (ack.events.length || state.lastSeq > before) changed();
        if (ack.more || syncAgain) { syncAgain = false; requestSync(); return; }
        emit("synced", state);
      });
    }

    // A tap while the connection is (re)opening, as on a slow Wi-Fi right after joining,
    // waits for it a few seconds before saying there is none.
    function connected(ms) {
      return new Promise(function (resolve) {
        if (socket.connected) { resolve(true); return; }
        var timer = setTimeout(function () { socket.off("connect", done); resolve(false); }, ms);
        function done() { clearTimeout(timer); resolve(true); }
        socket.once("connect", done);
      });
    }

    function request(type, payload) {
      return connected(CONNECT_WAIT_MS).then(function (ready) {
        if (!ready) return { ok: false, error: { code: "offline", message: t("No connection right now. Try again in a moment.") } };
        return new Promise(function (resolve) {
          socket.timeout(10000).emit(type, payload || {}, function (err, ack) {
            if (err) resolve({ ok: false, error: { code: "timeout", message: t("No answer from the server. Try again.") } });
            else resolve(ack || { ok: false, error: { code: "internal", message: t("No answer.") } });
          });
        });
      });
    }

    // Acks carry the newest truth about the sender's own things; events follow for everyone.
    function applyPostAck(post) {
      if (post.id) state.mine.add(post.id);
      if (!isStaff && state.session.anonymous) {
        // The ack is the author's own copy; show it the way everyone else sees it.
        post = Object.assign({}, post, { author: { name: null, role: post.author.role, participant_id: null } });
      }
      setPost(post);
      changed();
    }

    function applyVoteAck(ack) {
      var key = String(ack.post_id);
      if (ack.seq && ack.seq < (dotsSeq[key] || 0)) return; // a replay already told us more
      if (ack.seq) dotsSeq[key] = ack.seq;
      if (ack.mine) state.votes.mine[key] = ack.mine; else delete state.votes.mine[key];
      state.votes.left = ack.left;
      if (ack.tally !== undefined) state.votes.tallies[key] = ack.tally;
      changed();
    }

    function now() { return Date.now() + state.clockOffset; }

    // --- connection -----------------------------------------------------------------------

    // ?session= lets a proxy in front of several Ponte processes keep a session's screens on
    // one process (docs/deploy/nginx.conf); one process ignores it.
    var socket = io({
      auth: options.auth,
      query: { session: String(options.sessionId) },
      transports: ["websocket", "polling"],
      reconnectionDelayMax: 4000
    });
    Object.keys(HANDLERS).forEach(function (type) { socket.on(type, onLive(type)); });
    // Events this screen does not know (future ones) still move the seq on, so they never
    // look like a gap.
    socket.onAny(function (type, data) { if (!HANDLERS[type]) onLive(type)(data); });

    socket.on("connect", function () {
      if (connection) connection.hidden = true;
      emit("connection", true);
      requestSync();
    });
    socket.on("disconnect", function () {
      if (connection) connection.hidden = false; // one notice per outage; it goes when we are back
      emit("connection", false);
    });
    socket.on("connect_error", function (error) {
      if (error && error.data && error.data.code === "unauthorized") {
        socket.disconnect();
        options.onUnauthorized();
        return;
      }
      if (connection) connection.hidden = false;
    });
    // Sent only to a removed (or erased) person's own screens, right before the server
    // closes their connection: no seq, it is not part of the board.
    socket.on("access_ended", function (data) { emit("access_ended", data || {}); });

    // For good: no reconnecting, no reloading (the person's access has ended).
    var stopped = false;
    function stop() {
      stopped = true;
      socket.io.reconnection(false);
      socket.disconnect();
      if (connection) connection.hidden = true;
    }

    var loadAttempt = 0;
    function loadBoard() {
      if (stopped) return;
      fetch("/api/sessions/" + options.sessionId + "/board", { headers: options.headers || {}, credentials: "same-origin" })
        .then(function (response) {
          if (response.status === 401 || response.status === 403 || response.status === 404) {
            options.onUnauthorized();
            throw new Error("not allowed");
          }
          if (!response.ok) throw new Error("HTTP " + response.status);
          return response.json();
        })
        .then(function (board) {
          loadAttempt = 0;
          if (connection && socket.connected) connection.hidden = true;
          // A sync may have answered first: then the state is already newer than this snapshot.
          if (state.loaded && board.seq < state.lastSeq) return;
          applyBoard(board);
          changed();
          if (socket.connected) requestSync();
        })
        .catch(function (error) {
          if (error.message === "not allowed") return;
          if (connection) connection.hidden = false; // e.g. a reload without network
          loadAttempt += 1;
          setTimeout(loadBoard, Math.min(2000 * loadAttempt, 10000));
        });
    }

    var client = {
      state: state, on: on, request: request, changed: changed, now: now, socket: socket,
      isStaff: isStaff, mode: options.mode, reload: loadBoard, stop: stop,
      applyPostAck: applyPostAck, applyVoteAck: applyVoteAck,
    };
    if (prototypes) Object.assign(client, prototypes.api);
    // The state object is replaced by nothing: applyBoard fills the same one in place.
    loadBoard();
    return client;
  };
})();
