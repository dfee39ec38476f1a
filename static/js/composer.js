// Writing notes: the composer, and the outbox that keeps each note until the server has it.
//
// A note is kept in the outbox (memory + localStorage) with its client_id until the server
// acknowledges it, and sent again after a reconnect: the server keeps one post per client_id.
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
    var outbox = new Map((readJSON(outboxKey) || []).map(function (item) { return [item.client_id, item]; }));
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

    function save() {
      var items = Array.from(outbox.values()).map(function (item) {
        return {
          client_id: item.client_id, text: item.text, group_id: item.group_id, prompt_id: item.prompt_id,
          agenda_item_id: item.agenda_item_id, refused: item.refused || null,
          said_by: item.said_by || null, language: item.language || null,
        };
      });
      localStorage.setItem(outboxKey, JSON.stringify(items));
    }

    client.on("post", function (post) {
      if (outbox.delete(post.client_id)) { client.state.mine.add(post.id); save(); }
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
      save();
      els.text.value = "";
      updateCount();
      opts.redraw();
      send(item);
      els.text.focus();
    });
    els.text.addEventListener("input", updateCount);
    els.text.value = localStorage.getItem(draftKey) || "";
    updateCount();

    function drawRefused() {
      var list = document.createDocumentFragment();
      outbox.forEach(function (item) {
        if (!item.refused) return;
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
      forget: function () {
        [outboxKey, draftKey].forEach(function (key) { localStorage.removeItem(key); });
      },
    };
  };
})();
