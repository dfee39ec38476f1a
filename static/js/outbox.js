// The outbox on the device: notes and voice notes the server has not acknowledged yet.
//
// IndexedDB keeps them across a reload, a crash or a flat battery (localStorage holds only
// strings, and no recordings). The composer (composer.js) and the voice recorder (voice.js)
// keep the working copy in memory and write it here before sending; an entry goes when its
// ack arrives. Entries are keyed by their client_id (resending one is idempotent on the
// server) and belong to a person of a session ("ponte:session:<id>:p<participant>", or
// ":staff" on the console), so leaving, losing access or the end of a session clears that
// session's entries at once: tablets are shared.
//
// Without IndexedDB (some private modes) notes fall back to localStorage, as before, and
// recordings stay in memory only.
(function () {
  "use strict";

  var Ponte = (window.Ponte = window.Ponte || {});
  var ui = Ponte.ui;
  var DB_NAME = "ponte";
  var STORE = "outbox";
  var SENT_SHOWN_MS = 8000; // how long a note says "Sent" after its ack
  var opening = null;

  // The database, or null when this browser cannot keep one (then nothing waits for it).
  function database() {
    if (opening) return opening;
    opening = new Promise(function (resolve) {
      var settled = false;
      function done(db) { if (!settled) { settled = true; resolve(db); } }
      setTimeout(function () { done(null); }, 3000); // a blocked open must not hold notes back
      var request;
      try { request = window.indexedDB.open(DB_NAME, 1); } catch (e) { done(null); return; }
      request.onupgradeneeded = function () {
        var store = request.result.createObjectStore(STORE, { keyPath: "client_id" });
        store.createIndex("person", "person");
      };
      request.onsuccess = function () {
        var db = request.result;
        db.onversionchange = function () { db.close(); opening = null; };
        done(db);
      };
      request.onerror = function () { done(null); };
    });
    return opening;
  }

  // Run fn(store) in one transaction; resolves with what fn returns (a request's result
  // once committed), or null when it failed: the in-memory copy carries on.
  function transaction(mode, fn) {
    return database().then(function (db) {
      if (!db) return null;
      return new Promise(function (resolve) {
        var tx;
        try { tx = db.transaction(STORE, mode); } catch (e) { resolve(null); return; }
        var request = fn(tx.objectStore(STORE));
        tx.oncomplete = function () { resolve(request ? request.result : null); };
        tx.onerror = tx.onabort = function () { resolve(null); };
      });
    });
  }

  function ofPerson(store, person, each) {
    store.index("person").openCursor(IDBKeyRange.only(person)).onsuccess = function (event) {
      var cursor = event.target.result;
      if (!cursor) return;
      each(cursor);
      cursor.continue();
    };
  }

  function readLegacy(key) {
    try { return JSON.parse(localStorage.getItem(key) || "null") || []; } catch (e) { return []; }
  }

  // One person's entries of one kind ("text" | "voice").
  function store(person, kind) {
    var legacyKey = person + ":outbox"; // where notes waited before IndexedDB
    function stamp(record) { return Object.assign({}, record, { person: person, kind: kind }); }

    return {
      // What waits from earlier visits. Notes of the old localStorage outbox move here once.
      load: function () {
        return database().then(function (db) {
          var legacy = kind === "text" ? readLegacy(legacyKey) : [];
          if (!db) return legacy;
          return transaction("readwrite", function (s) {
            legacy.forEach(function (record) { if (record && record.client_id) s.put(stamp(record)); });
            return s.index("person").getAll(IDBKeyRange.only(person));
          }).then(function (all) {
            if (all === null) return legacy; // keep the old copy; try again next time
            if (legacy.length) localStorage.removeItem(legacyKey);
            return all.filter(function (record) { return record.kind === kind; });
          });
        });
      },
      // Make what is kept equal ``records`` (the whole in-memory outbox of this kind).
      save: function (records) {
        return database().then(function (db) {
          if (!db) {
            if (kind === "text") localStorage.setItem(legacyKey, JSON.stringify(records));
            return null;
          }
          var keep = new Set(records.map(function (r) { return r.client_id; }));
          return transaction("readwrite", function (s) {
            records.forEach(function (record) { s.put(stamp(record)); });
            ofPerson(s, person, function (cursor) {
              if (cursor.value.kind === kind && !keep.has(cursor.value.client_id)) cursor.delete();
            });
          });
        });
      },
      put: function (record) {
        return transaction("readwrite", function (s) { s.put(stamp(record)); });
      },
      remove: function (clientId) {
        return transaction("readwrite", function (s) { s.delete(clientId); });
      },
      clear: function () {
        if (kind === "text") localStorage.removeItem(legacyKey);
        return transaction("readwrite", function (s) {
          ofPerson(s, person, function (cursor) { if (cursor.value.kind === kind) cursor.delete(); });
        });
      },
    };
  }

  // Every entry of a session, whoever wrote it (for the end of a session on this device).
  function clearSession(sessionId) {
    var prefix = "ponte:session:" + sessionId + ":";
    return transaction("readwrite", function (s) {
      s.index("person").openCursor(IDBKeyRange.bound(prefix, prefix + "\uffff")).onsuccess = function (event) {
        var cursor = event.target.result;
        if (!cursor) return;
        cursor.delete();
        cursor.continue();
      };
    });
  }

  // Everything this device keeps of a session: the token, drafts, unsent notes and recordings.
  function forgetSession(sessionId) {
    var key = "ponte:session:" + sessionId;
    Object.keys(localStorage).forEach(function (k) {
      if (k === key || k.indexOf(key + ":") === 0) localStorage.removeItem(k);
    });
    return clearSession(sessionId);
  }

  // --- what a note says about its journey -------------------------------------------------

  var sentAt = new Map(); // client_id -> when its ack came (shown "Sent" for a while)

  function markSent(clientId, redraw) {
    if (!clientId) return;
    sentAt.set(clientId, Date.now());
    setTimeout(function () {
      if (Date.now() - (sentAt.get(clientId) || 0) >= SENT_SHOWN_MS) { sentAt.delete(clientId); redraw(); }
    }, SENT_SHOWN_MS);
  }

  // "⏳ Sending…" on a note still in the outbox, "✓ Sent" once the server has it.
  ui.sendState = function (meta, post) {
    var kind = post.pending ? (post.failed ? "failed" : "sending") : post.client_id && sentAt.has(post.client_id) ? "sent" : null;
    if (!kind) return;
    var box = ui.el("span", "send-state is-" + kind);
    box.appendChild(ui.el("span", "send-icon", { sending: "⏳", failed: "⚠", sent: "✓" }[kind])).setAttribute("aria-hidden", "true");
    var words = { sending: t("Sending…"), failed: t("Not sent: {reason}", { reason: post.failed || "" }), sent: t("Sent") }[kind];
    box.appendChild(ui.el("span", kind === "sent" ? "sent" : "sending", words));
    meta.appendChild(box);
  };

  // One polite sentence for screen readers about what waits, said only once it settles:
  // a note that goes at once says nothing; a room without Wi-Fi hears one sentence per change.
  var live = ui.el("p", "visually-hidden");
  live.id = "outbox-live";
  live.setAttribute("role", "status");
  live.setAttribute("aria-live", "polite");
  document.body.appendChild(live);
  var announced = 0;
  var announceTimer = null;
  function announce(count) {
    clearTimeout(announceTimer);
    announceTimer = setTimeout(function () {
      if (count === announced) return;
      if (count === 0) live.textContent = t("All your notes are sent.");
      else if (count === 1) live.textContent = t("1 note is waiting to be sent.");
      else live.textContent = t("{count} notes are waiting to be sent.", { count: count });
      announced = count;
    }, 1500);
  }

  Ponte.outbox = {
    store: store, clearSession: clearSession, forgetSession: forgetSession,
    markSent: markSent, announce: announce,
  };
})();
