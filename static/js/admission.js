// The tablet's door: waiting for the trainer to let one in, and the end of one's access.
//
// In a session that needs approval, POST /api/join answers "waiting": the tablet shows who
// is waiting and asks GET /api/sessions/<id>/admission every 3 s (less often while the
// network is down) until the trainer admits them (the board opens) or refuses them. A person
// refused, removed by the trainer or erased sees that their access has ended: the tablet
// forgets everything it kept for that session (token, unsent notes, recordings, drafts:
// tablets are shared), stops reconnecting, and shows the same notice on every reload.
// The screens are in templates/sessions/tablet.html; tablet.js calls gate() before it
// loads the board and watch() once it has.
(function () {
  "use strict";

  var Ponte = (window.Ponte = window.Ponte || {});
  var POLL_MS = 3000;
  var POLL_MAX_MS = 30000;
  var ENDED = "ponte:ended:"; // + session id: this device's access to it has ended (no personal data)

  var here = null; // {sessionId, local, joinUrl}
  var board = null; // {client, forget()} once the board runs (watch)
  var ended = false;
  var pollTimer = null;

  function $(id) { return document.getElementById(id); }

  function tokenKey() { return "ponte:session:" + here.sessionId; }

  // Show one of the door's screens instead of the board, and move the reader to its heading.
  function show(id) {
    document.body.classList.add("has-access-screen");
    ["waiting-screen", "ended-screen"].forEach(function (screen) {
      var node = $(screen);
      if (node) node.hidden = screen !== id;
    });
    var boardNode = $("board");
    if (boardNode) boardNode.setAttribute("inert", "");
    var heading = $(id) && $(id).querySelector("h1");
    if (heading) heading.focus();
  }

  function leaveFor(url) {
    // "Leave": whoever uses this tablet next starts clean, as someone new (or with a badge).
    localStorage.removeItem("ponte:people");
    var forgotten = Promise.resolve(board && board.forget ? board.forget() : null).then(function () {
      return Ponte.outbox.forgetSession(here.sessionId);
    });
    // An IndexedDB that never answers must not keep anyone at the door.
    var enough = new Promise(function (resolve) { setTimeout(resolve, 2000); });
    return Promise.race([forgotten, enough]).then(function () { window.location.href = url; });
  }

  // --- the end ----------------------------------------------------------------------------

  function end() {
    if (ended) return;
    ended = true;
    clearTimeout(pollTimer);
    if (board && board.client) board.client.stop();
    localStorage.setItem(ENDED + here.sessionId, "1");
    Promise.resolve(board && board.forget ? board.forget() : null).then(function () {
      return Ponte.outbox.forgetSession(here.sessionId);
    });
    Ponte.outbox.forgetSession(here.sessionId); // the token goes now, whatever else takes time
    show("ended-screen");
  }

  // --- waiting at the door ----------------------------------------------------------------

  function wait() {
    var local = here.local;
    var name = $("waiting-name");
    if (name) name.textContent = local.name || "";
    var icon = $("waiting-role");
    if (icon && Ponte.ui) icon.textContent = Ponte.ui.ROLE_ICONS[local.role] || "🙋";
    var me = $("me");
    if (me) me.textContent = local.name || "";
    show("waiting-screen");
    var offline = $("waiting-offline");
    var failures = 0;

    function next(ms) {
      clearTimeout(pollTimer);
      if (!ended) pollTimer = setTimeout(ask, ms);
    }

    function ask() {
      fetch("/api/sessions/" + here.sessionId + "/admission", {
        headers: { Authorization: "Bearer " + local.token }, cache: "no-store", credentials: "same-origin",
      }).then(function (response) {
        if (response.status === 401 || response.status === 403) return { state: "unknown" };
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      }).then(function (answer) {
        failures = 0;
        if (offline) offline.hidden = true;
        if (answer.state === "admitted") {
          local.waiting = false;
          localStorage.setItem(tokenKey(), JSON.stringify(local));
          window.location.reload(); // the board, as for everyone else
        } else if (answer.state === "refused") {
          end();
        } else if (answer.state === "unknown") {
          localStorage.removeItem(tokenKey()); // a token that opens nothing: join again
          window.location.href = here.joinUrl;
        } else {
          next(POLL_MS);
        }
      }).catch(function () {
        failures += 1;
        if (offline) offline.hidden = false;
        next(Math.min(POLL_MS * Math.pow(2, failures), POLL_MAX_MS));
      });
    }

    window.addEventListener("online", function () { next(0); }); // the Wi-Fi is back: ask now
    ask();
  }

  var leave = $("waiting-leave");
  if (leave) leave.addEventListener("click", function (event) {
    event.preventDefault();
    clearTimeout(pollTimer);
    ended = true; // no more asking
    leaveFor(leave.href);
  });

  Ponte.tabletAccess = {
    // Before the board: true when it may load; false when the door's screen took over.
    gate: function (sessionId, local, joinUrl) {
      here = { sessionId: sessionId, local: local, joinUrl: joinUrl };
      if (!local || !local.token) {
        if (localStorage.getItem(ENDED + sessionId)) { ended = true; show("ended-screen"); return false; }
        return true; // tablet.js sends them to the join page
      }
      localStorage.removeItem(ENDED + sessionId); // joined again since
      if (local.waiting) { wait(); return false; }
      return true;
    },

    // Once the board runs: end the access when the trainer removes this person.
    // opts.forget() drops what the board's parts keep (outbox, recordings, drafts).
    watch: function (client, opts) {
      board = { client: client, forget: opts.forget };
      var mine = here.local.participant_id;
      client.on("participant_removed", function (participantId) { if (participantId === mine) end(); });
      client.on("access_ended", function (data) { if (!data.participant_id || data.participant_id === mine) end(); });
    },

    // The board or the connection refused the token: waiting, refused, or no longer valid?
    unauthorized: function () {
      if (ended) return;
      if (board && board.client) board.client.stop();
      var failures = 0;
      (function ask() {
        fetch("/api/sessions/" + here.sessionId + "/admission", {
          headers: { Authorization: "Bearer " + here.local.token }, cache: "no-store", credentials: "same-origin",
        }).then(function (response) {
          if (!response.ok) return { state: "unknown" };
          return response.json();
        }).then(function (answer) {
          if (answer.state === "refused") { end(); return; }
          if (answer.state === "waiting") {
            here.local.waiting = true;
            localStorage.setItem(tokenKey(), JSON.stringify(here.local));
            wait();
            return;
          }
          localStorage.removeItem(tokenKey());
          window.location.href = here.joinUrl;
        }).catch(function () {
          failures += 1;
          setTimeout(ask, Math.min(POLL_MS * Math.pow(2, failures), POLL_MAX_MS));
        });
      })();
    },

    // Leave from the board's own button: forget this session on the device, then go.
    leave: function (url) { ended = true; return leaveFor(url); },
  };
})();
