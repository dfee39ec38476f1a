// Voice notes on the tablet: record up to a minute, listen to it, send it.
//
// The recording travels over HTTP (POST /api/sessions/<id>/voice, multipart), never over
// Socket.IO. Until the server has acknowledged it, the recording stays in memory and on the
// device (IndexedDB, see outbox.js) with its client_id, and is sent again after a network
// failure or a reload: the server keeps one note per client_id, so a retry never makes two.
// Everybody then gets the usual post_created.
// No microphone, or no permission: the tablet says so, and writing notes works as before.
(function () {
  "use strict";

  var Ponte = (window.Ponte = window.Ponte || {});
  var ui = Ponte.ui;
  var LIMIT = 60; // seconds
  var PREFERRED = "audio/webm;codecs=opus";

  function extension(type) {
    if (/ogg/.test(type)) return "ogg";
    if (/mp4|aac|m4a/.test(type)) return "m4a";
    if (/wav/.test(type)) return "wav";
    return "webm";
  }

  function clock(seconds) { return ui.formatClock(Math.max(0, seconds) * 1000); }

  // Why this tablet cannot record, in words its user can act on.
  function refusal(error) {
    var name = error && error.name;
    if (name === "NotAllowedError" || name === "SecurityError" || name === "PermissionDeniedError") {
      return t("The microphone is not allowed on this tablet. Allow it in the browser to record, or write your note.");
    }
    if (name === "NotFoundError" || name === "OverconstrainedError" || name === "DevicesNotFoundError") {
      return t("No microphone was found on this tablet. You can still write your note.");
    }
    if (name === "NotReadableError") return t("The microphone is busy or not working. You can still write your note.");
    return t("This tablet cannot record sound. You can still write your note.");
  }

  function unsupported() {
    if (navigator.mediaDevices && navigator.mediaDevices.getUserMedia && window.MediaRecorder) return "";
    if (!window.isSecureContext) {
      return t("Recording needs a secure (https) connection to Ponte. You can still write your note.");
    }
    return t("This tablet cannot record sound. You can still write your note.");
  }

  // opts: {url, token, container (where the recorder goes), values() -> {said_by?, language?},
  //        target() -> {group_id?, prompt_id?, agenda_item_id?}, uuid()}
  Ponte.voiceRecorder = function (client, opts) {
    var panel = ui.el("div", "voice-recorder");
    panel.setAttribute("role", "group");
    panel.setAttribute("aria-label", t("Voice note"));
    var controls = panel.appendChild(ui.el("div", "voice-controls"));
    var message = panel.appendChild(ui.el("p", "voice-message field-error"));
    message.setAttribute("role", "alert");
    message.hidden = true;
    var list = panel.appendChild(ui.el("ul", "voice-outbox"));
    list.setAttribute("aria-live", "polite");
    opts.container.appendChild(panel);

    var rec = { mode: "idle" }; // idle | starting | recording | review
    var outbox = [];
    // Recordings not acknowledged yet also wait on the device: after a reload they come back
    // here and go out again.
    var store = opts.personKey && Ponte.outbox ? Ponte.outbox.store(opts.personKey, "voice") : null;
    var ready = !store ? Promise.resolve() : store.load().then(function (records) {
      records.forEach(function (record) {
        if (!record.blob || outbox.some(function (x) { return x.client_id === record.client_id; })) return;
        var item = Object.assign({}, record, { status: "sending", attempt: 0 });
        outbox.push(item);
        send(item);
      });
      draw();
    });
    var audioContext = null;
    var playing = null;

    function say(text) { message.textContent = text || ""; message.hidden = !text; }

    // --- recording ------------------------------------------------------------------------

    function start(button) {
      var why = unsupported();
      if (why) { say(why); return; }
      say("");
      rec = { mode: "starting" };
      button.disabled = true;
      navigator.mediaDevices.getUserMedia({ audio: true }).then(function (stream) {
        var type = MediaRecorder.isTypeSupported && MediaRecorder.isTypeSupported(PREFERRED) ? PREFERRED : "";
        var recorder = type ? new MediaRecorder(stream, { mimeType: type }) : new MediaRecorder(stream);
        var chunks = [];
        rec = { mode: "recording", recorder: recorder, stream: stream, started: performance.now(), elapsed: 0 };
        recorder.addEventListener("dataavailable", function (event) { if (event.data && event.data.size) chunks.push(event.data); });
        recorder.addEventListener("stop", function () {
          stream.getTracks().forEach(function (track) { track.stop(); });
          clearInterval(rec.ticker);
          clearTimeout(rec.limit);
          var seconds = Math.min(LIMIT, (performance.now() - rec.started) / 1000);
          var blob = new Blob(chunks, { type: recorder.mimeType || type || "audio/webm" });
          if (!blob.size) { rec = { mode: "idle" }; say(t("Nothing was recorded. Try again.")); draw(); return; }
          rec = { mode: "review", blob: blob, seconds: Math.max(0.1, Math.round(seconds * 10) / 10) };
          draw();
          var send = controls.querySelector(".voice-send");
          if (send) send.focus();
        });
        recorder.start(1000);
        rec.ticker = setInterval(tick, 250);
        rec.limit = setTimeout(stop, LIMIT * 1000); // a hard stop at one minute
        draw();
        var stopButton = controls.querySelector(".voice-stop");
        if (stopButton) stopButton.focus();
      }).catch(function (error) {
        rec = { mode: "idle" };
        draw();
        say(refusal(error));
      });
    }

    function stop() {
      if (rec.mode === "recording" && rec.recorder.state !== "inactive") rec.recorder.stop();
    }

    function tick() {
      if (rec.mode !== "recording") return;
      rec.elapsed = Math.min(LIMIT, (performance.now() - rec.started) / 1000);
      var left = controls.querySelector(".voice-countdown");
      if (left) left.textContent = t("{time} left", { time: clock(Math.ceil(LIMIT - rec.elapsed)) });
      var bar = controls.querySelector("progress");
      if (bar) bar.value = rec.elapsed;
    }

    // Listening before sending: Web Audio plays the recording, no object URL needed.
    function listen() {
      if (playing) { playing.stop(); return; }
      var Context = window.AudioContext || window.webkitAudioContext;
      if (!Context) { say(t("This tablet cannot play the recording back, but you can send it.")); return; }
      audioContext = audioContext || new Context();
      var blob = rec.blob;
      blob.arrayBuffer().then(function (bytes) { return audioContext.decodeAudioData(bytes); }).then(function (buffer) {
        if (rec.blob !== blob) return;
        var source = audioContext.createBufferSource();
        source.buffer = buffer;
        source.connect(audioContext.destination);
        source.addEventListener("ended", function () { playing = null; draw(); });
        playing = source;
        source.start();
        draw();
      }).catch(function () {
        say(t("This tablet cannot play the recording back, but you can send it."));
      });
    }

    function discard() {
      if (playing) playing.stop();
      rec = { mode: "idle" };
      say("");
      draw();
      var record = controls.querySelector(".voice-record");
      if (record) record.focus();
    }

    // --- sending --------------------------------------------------------------------------

    function queue() {
      if (playing) playing.stop();
      var item = Object.assign({}, opts.target ? opts.target() : {}, opts.values ? opts.values() : {}, {
        client_id: opts.uuid(), blob: rec.blob, seconds: rec.seconds, status: "sending", attempt: 0,
      });
      outbox.push(item);
      rec = { mode: "idle" };
      draw();
      keep(item).then(function () { send(item); }); // on the device first, then on its way
    }

    function keep(item) {
      if (!store) return Promise.resolve();
      var record = { client_id: item.client_id, blob: item.blob, seconds: item.seconds };
      ["said_by", "language", "group_id", "prompt_id", "agenda_item_id"].forEach(function (field) {
        if (item[field] !== undefined) record[field] = item[field];
      });
      return ready.then(function () { return store.put(record); });
    }

    function unkeep(item) {
      if (store) ready.then(function () { return store.remove(item.client_id); });
    }

    function send(item) {
      if (item.inFlight || item.status === "sent" || item.status === "refused") return;
      item.inFlight = true;
      clearTimeout(item.retry);
      var form = new FormData();
      form.append("audio", item.blob, "voice." + extension(item.blob.type));
      form.append("client_id", item.client_id);
      form.append("seconds", String(item.seconds));
      ["said_by", "language", "group_id", "prompt_id", "agenda_item_id"].forEach(function (field) {
        if (item[field] !== undefined && item[field] !== null && item[field] !== "") form.append(field, String(item[field]));
      });
      fetch(opts.url, {
        method: "POST", body: form, credentials: "same-origin",
        headers: opts.token ? { Authorization: "Bearer " + opts.token } : {},
      }).then(function (response) {
        return response.json().catch(function () { return null; }).then(function (data) {
          return { status: response.status, data: data };
        });
      }).then(function (result) {
        item.inFlight = false;
        var data = result.data;
        if (result.status < 300 && data && data.ok && data.post) {
          item.status = "sent";
          item.blob = null; // the server has it now
          unkeep(item);
          client.applyPostAck(data.post);
          setTimeout(function () { remove(item); }, 5000);
        } else if (result.status >= 500 || result.status === 429 || result.status === 408 || !data) {
          later(item, data && data.error ? data.error.message : "");
        } else {
          item.status = "refused"; // never sent again: the device need not keep it
          item.message = data.error ? data.error.message : t("The server refused this voice note.");
          unkeep(item);
        }
        draw();
      }).catch(function () {
        item.inFlight = false;
        later(item, t("No connection right now: trying again…"));
        draw();
      });
    }

    function later(item, why) {
      item.status = "waiting";
      item.message = why || t("No connection right now: trying again…");
      item.attempt += 1;
      item.retry = setTimeout(function () { send(item); }, Math.min(2000 * item.attempt, 10000));
    }

    function remove(item) {
      clearTimeout(item.retry);
      outbox = outbox.filter(function (x) { return x !== item; });
      draw();
    }

    // After a reconnect, what waits goes at once.
    client.on("synced", function () {
      outbox.forEach(function (item) { if (item.status === "waiting") send(item); });
    });

    // --- drawing --------------------------------------------------------------------------

    function draw() {
      controls.replaceChildren();
      controls.dataset.mode = rec.mode;
      if (rec.mode === "idle" || rec.mode === "starting") {
        var record = ui.button("", "big voice-record", function () { start(record); });
        record.appendChild(ui.el("span", "voice-record-icon", "🎤")).setAttribute("aria-hidden", "true");
        record.appendChild(ui.el("span", null, t("Record a voice note")));
        record.disabled = rec.mode === "starting";
        controls.appendChild(record);
        controls.appendChild(ui.el("span", "voice-hint", t("Up to one minute.")));
      } else if (rec.mode === "recording") {
        var live = controls.appendChild(ui.el("span", "voice-live"));
        live.appendChild(ui.el("span", "voice-dot", "●")).setAttribute("aria-hidden", "true");
        live.appendChild(ui.el("span", null, t("Recording…")));
        var left = controls.appendChild(ui.el("span", "voice-countdown", t("{time} left", { time: clock(Math.ceil(LIMIT - rec.elapsed)) })));
        left.setAttribute("role", "timer");
        var bar = controls.appendChild(ui.el("progress", "voice-progress"));
        bar.max = LIMIT;
        bar.value = rec.elapsed;
        bar.setAttribute("aria-label", t("Time recorded"));
        var stopButton = ui.button("", "big danger voice-stop", stop);
        stopButton.appendChild(ui.el("span", null, "■")).setAttribute("aria-hidden", "true");
        stopButton.appendChild(ui.el("span", null, t("Stop")));
        controls.appendChild(stopButton);
      } else if (rec.mode === "review") {
        var what = controls.appendChild(ui.el("span", "voice-review"));
        what.appendChild(ui.el("span", null, "🎤 ")).setAttribute("aria-hidden", "true");
        what.appendChild(ui.el("span", null, t("Your voice note") + " · " + clock(Math.round(rec.seconds))));
        var hear = ui.button((playing ? "■ " : "▶ ") + (playing ? t("Stop listening") : t("Listen")), "voice-listen", listen);
        hear.setAttribute("aria-pressed", String(!!playing));
        controls.appendChild(hear);
        var send = ui.button("", "primary big voice-send", queue);
        send.appendChild(ui.arrow("➤"));
        send.appendChild(ui.el("span", null, t("Send")));
        controls.appendChild(send);
        var drop = ui.button("", "ghost voice-discard", discard);
        drop.appendChild(ui.el("span", null, "🗑")).setAttribute("aria-hidden", "true");
        drop.appendChild(ui.el("span", null, t("Discard")));
        controls.appendChild(drop);
      }
      drawOutbox();
    }

    function drawOutbox() {
      list.replaceChildren();
      outbox.forEach(function (item) {
        var row = ui.el("li", "voice-item is-" + item.status);
        row.dataset.clientId = item.client_id;
        row.appendChild(ui.el("span", null, "🎤")).setAttribute("aria-hidden", "true");
        row.appendChild(ui.el("span", "voice-item-what", t("Voice note") + " · " + clock(Math.round(item.seconds))));
        var status = {
          sending: t("Sending…"), waiting: item.message, sent: "✓ " + t("Sent"),
          refused: t("Not sent: {reason}", { reason: item.message || "" }),
        }[item.status];
        if (item.status === "sending" || item.status === "waiting") {
          row.appendChild(ui.el("span", "spinner")).setAttribute("aria-hidden", "true");
        }
        row.appendChild(ui.el("span", "voice-status", status));
        if (item.status === "refused") row.appendChild(ui.button(t("Remove"), "small ghost", function () { remove(item); }));
        list.appendChild(row);
      });
    }

    draw();

    return {
      // Voice notes the server does not have yet (kept in memory and on the device).
      unsent: function () { return outbox.filter(function (x) { return x.status === "sending" || x.status === "waiting"; }).length; },
      draw: function (visible) {
        panel.hidden = !visible && !outbox.length && rec.mode !== "recording";
      },
      // Nothing more goes out, and the device forgets the recordings; resolves once they are gone.
      forget: function () {
        outbox.forEach(function (item) { clearTimeout(item.retry); item.status = "refused"; });
        outbox = [];
        draw();
        return store ? ready.then(function () { return store.clear(); }) : Promise.resolve();
      },
    };
  };
})();
