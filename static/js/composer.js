// Writing notes: the composer, and the outbox that keeps each note until the server has it.
//
// A note is kept in the outbox (memory + IndexedDB, see outbox.js) with its client_id until
// the server acknowledges it, and sent again after a reconnect or a reload: the server keeps
// one post per client_id. It is written to the device before it is sent.
// Notes the server refuses for good stay visible with the reason: words are never lost.
(function () {
  "use strict";

  var Ponte = (window.Ponte = window.Ponte || {});
  var ui = Ponte.ui;

  function readJSON(key) {
    try { return JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { return null; }
  }
  Ponte.readJSON = readJSON;

  function uuid4() {
    // crypto.randomUUID needs https; tablets often reach Ponte over plain http on the LAN.
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }
  Ponte.uuid4 = uuid4;

  // opts: {personKey, author: {name, role}, target() -> {group_id?, prompt_id?, agenda_item_id?},
  //        canWrite() -> bool, redraw()}
  Ponte.composer = function (client, opts) {
    var outboxKey = opts.personKey + ":outbox";
    var draftKey = opts.personKey + ":draft";
    var outbox = new Map();
    var store = Ponte.outbox.store(opts.personKey, "text");
    // What waited on this device (a reload, a crash) comes back and goes out again; a note the
    // board already has (its ack was lost) is not shown twice.
    var ready = store.load().then(function (items) {
      var known = new Set();
      client.state.posts.forEach(function (post) { known.add(post.client_id); });
      items.sort(function (a, b) { return (a.written || 0) - (b.written || 0); }); // as written
      items.forEach(function (item) {
        if (!outbox.has(item.client_id) && !known.has(item.client_id)) outbox.set(item.client_id, item);
      });
      Ponte.outbox.announce(waiting());
      opts.redraw();
      if (!client.state.loaded) drawRefused(); // the board is not there yet: show what waits
      else flush();
    });
    var els = {
      form: document.getElementById("composer"),
      text: document.getElementById("composer-text"),
      count: document.getElementById("composer-count"),
      error: document.getElementById("composer-error"),
      refused: document.getElementById("refused"),
    };
    // Mediators and staff may write for someone else, in the language they choose.
    var forSomeone = ui.mediatorFields ? ui.mediatorFields(client) : null;
    if (forSomeone) els.form.insertBefore(forSomeone.node, els.form.querySelector(".composer-row"));

    // Keep the device's copy equal to the outbox; resolves once it is written.
    function save() {
      Ponte.outbox.announce(waiting());
      return ready.then(function () { return keep(); });
    }

    function waiting() {
      var count = 0;
      outbox.forEach(function (item) { if (!item.refused) count += 1; });
      return count;
    }

    function keep() {
      var items = Array.from(outbox.values()).map(function (item) {
        return {
          client_id: item.client_id, text: item.text, group_id: item.group_id, prompt_id: item.prompt_id,
          agenda_item_id: item.agenda_item_id, refused: item.refused || null,
          said_by: item.said_by || null, language: item.language || null,
          written: item.written || (item.written = Date.now()),
        };
      });
      return store.save(items);
    }

    client.on("post", function (post) {
      if (outbox.delete(post.client_id)) {
        client.state.mine.add(post.id);
        Ponte.outbox.markSent(post.client_id, opts.redraw);
        save();
      }
    });

    function send(item) {
      if (item.inFlight || item.refused || !client.socket.connected) return;
      item.inFlight = true;
      var payload = { client_id: item.client_id, text: item.text };
      if (item.group_id) payload.group_id = item.group_id;
      if (item.prompt_id) payload.prompt_id = item.prompt_id;
      if (item.said_by) payload.said_by = item.said_by;
      if (item.language) payload.language = item.language;
      client.request("create_post", payload).then(function (ack) {
        item.inFlight = false;
        if (ack.ok) {
          outbox.delete(item.client_id);
          Ponte.outbox.markSent(item.client_id, opts.redraw);
          client.applyPostAck(ack.post);
        } else if (["internal", "unauthorized", "timeout", "offline"].indexOf(ack.error.code) >= 0) {
          item.failed = ack.error.message; // kept: sent again by the retry timer or on reconnect
        } else {
          item.refused = ack.error.message; // kept and shown with the reason, never resent
        }
        save();
        opts.redraw();
      });
    }

    function flush() { outbox.forEach(send); }
    client.on("synced", flush);
    // A note whose ack timed out on a connection that stayed up is tried again.
    setInterval(function () { if (client.socket.connected) flush(); }, 5000);

    function showError(message) {
      els.error.textContent = message;
      els.error.hidden = !message;
    }

    function updateCount() {
      els.count.textContent = els.text.value.length + " / 2000";
      localStorage.setItem(draftKey, els.text.value);
    }

    els.form.addEventListener("submit", function (event) {
      event.preventDefault();
      var text = els.text.value.trim();
      if (!text) { showError(t("Write something first.")); els.text.focus(); return; }
      showError("");
      var item = Object.assign({ client_id: uuid4(), text: text, group_id: null, prompt_id: null, agenda_item_id: null }, opts.target(), forSomeone ? forSomeone.values() : {});
      outbox.set(item.client_id, item);
      var kept = save(); // on the device first, then on its way
      els.text.value = "";
      updateCount();
      opts.redraw();
      kept.then(function () { send(item); });
      els.text.focus();
    });
    els.text.addEventListener("input", updateCount);
    els.text.value = localStorage.getItem(draftKey) || "";
    updateCount();

    function drawRefused() {
      var list = document.createDocumentFragment();
      outbox.forEach(function (item) {
        if (!item.refused) {
          // Before the board is there (a reload without network) what waits is listed here.
          if (!client.state.loaded) list.appendChild(waitingRow(item));
          return;
        }
        var row = ui.el("li", "note is-refused");
        row.appendChild(ui.text("p", "note-text", item.text));
        row.appendChild(ui.el("p", "field-error", t("Not posted: {reason}", { reason: item.refused })));
        var edit = ui.button(t("Edit"), "small", function () {
          els.text.value = item.text;
          updateCount();
          outbox.delete(item.client_id);
          save();
          opts.redraw();
          els.text.focus();
        });
        edit.hidden = !opts.canWrite();
        row.appendChild(edit);
        row.appendChild(ui.button(t("Remove"), "small ghost", function () {
          outbox.delete(item.client_id);
          save();
          opts.redraw();
        }));
        list.appendChild(row);
      });
      els.refused.replaceChildren(list);
    }

    function waitingRow(item) {
      var row = ui.el("li", "note is-pending");
      row.dataset.clientId = item.client_id;
      row.appendChild(ui.text("p", "note-text", item.text));
      var meta = row.appendChild(ui.el("p", "note-meta"));
      ui.sendState(meta, { pending: true, failed: item.failed, client_id: item.client_id });
      return row;
    }

    // When the session ends, what waits is settled: sent once more (the server acknowledges
    // what it already has) or refused for good, and then kept only until its author removes
    // it; the device keeps nothing else of this outbox.
    var closed = false;
    client.on("change", function (state) {
      var now = state.loaded && state.session.status === "closed";
      if (now && !closed) { flush(); save(); }
      closed = now;
    });

    return {
      // Notes on their way, drawn among the others with a "Sending…" mark.
      pending: function () {
        var items = [];
        outbox.forEach(function (item) {
          if (item.refused) return;
          items.push({
            id: null, client_id: item.client_id, text: item.text, group_id: item.group_id,
            prompt_id: item.prompt_id, agenda_item_id: item.agenda_item_id, cluster_id: null,
            author: (item.said_by && forSomeone && forSomeone.author(item.said_by)) || opts.author(),
            language: item.language || undefined, pending: true, failed: item.failed,
          });
        });
        return items;
      },
      count: function () { return outbox.size; },
      // Who the next note is for and its language (the voice recorder sends them too).
      values: function () { return forSomeone ? forSomeone.values() : {}; },
      draw: function (visible) {
        els.form.hidden = !visible;
        if (forSomeone) forSomeone.draw();
        drawRefused();
      },
      // Drop everything this person left on the device; resolves once it is gone.
      forget: function () {
        [outboxKey, draftKey].forEach(function (key) { localStorage.removeItem(key); });
        outbox.clear();
        return ready.then(function () { return store.clear(); });
      },
    };
  };
})();
