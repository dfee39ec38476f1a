// The prototype canvas on a tablet: ten fields, each saved on its own.
//
// A field saves on blur and after 1.5 s without typing, with the version it was typed on.
// Another tablet's save shows at once in a field nobody is writing in here; in a field with
// unsaved words it is only announced ("changed by X"), and the next save comes back as a
// conflict: then both texts stand side by side until their author keeps one or merges them.
// Unsaved words also wait in localStorage, so a reload or a lost tablet loses nothing.
(function () {
  "use strict";

  var Ponte = window.Ponte;
  var ui = Ponte.ui;
  var IDLE_MS = 1500;
  var RETRYABLE = ["offline", "timeout", "internal"];
  // Refusals that end when the room changes (the trainer unlocks, the phase comes back).
  var WAIT = ["board_locked", "phase_forbids", "session_closed"];

  // opts: {storeKey, canEdit(prototypeId) -> bool, readOnlyNote(rec) -> text, me() -> name,
  //        onClose(), evidence(rec, node, editable)}
  Ponte.canvas = function (client, host, opts) {
    var state = client.state;
    var open = null; // {id, root, head, fields: [F], evidence, feedback}

    function draftKey(F) { return opts.storeKey + ":proto:" + open.id + ":" + F.name; }
    function readDraft(key) { return Ponte.readJSON(key); }
    function keepDraft(F) { localStorage.setItem(F.key, JSON.stringify({ text: F.area.value, base: F.base })); }
    function dropDraft(F) { localStorage.removeItem(F.key); }
    function dirty(F) { return F.area.value !== F.baseText; }

    function save(F) {
      clearTimeout(F.timer);
      F.timer = null;
      if (F.inFlight) { F.again = true; return; }
      if (F.conflict || !dirty(F) || !opts.canEdit(F.prototypeId)) { render(F); return; }
      var text = F.area.value;
      F.inFlight = true;
      F.error = "";
      render(F);
      var payload = { prototype_id: F.prototypeId, field: F.name, text: text, base_version: F.base };
      client.request("edit_prototype_field", payload).then(function (ack) {
        F.inFlight = false;
        F.waiting = false;
        if (ack.ok) {
          F.base = ack.version;
          F.baseText = text;
          F.changedBy = "";
          F.saved = true;
          client.applyFieldAck(ack, text, opts.me());
        } else if (ack.error.code === "conflict" && ack.error.current.text === text) {
          F.base = ack.error.current.version; // they wrote exactly this: nothing to compare
          F.baseText = text;
        } else if (ack.error.code === "conflict") {
          startConflict(F, ack.error.current);
        } else if (RETRYABLE.indexOf(ack.error.code) >= 0) {
          F.error = t("{reason} Your text is kept; trying again…", { reason: ack.error.message });
          F.timer = setTimeout(function () { save(F); }, 3000);
        } else if (WAIT.indexOf(ack.error.code) >= 0) {
          F.error = t("Not saved yet: {reason} Your text is kept and saved when writing opens again.", { reason: ack.error.message });
          F.waiting = true;
        } else {
          F.error = t("Not saved: {reason} Your text is kept here.", { reason: ack.error.message });
        }
        if (dirty(F)) keepDraft(F); else dropDraft(F);
        if (F.again) { F.again = false; if (dirty(F)) { save(F); return; } }
        reconcile(F);
      });
    }

    function startConflict(F, current) {
      var rec = state.prototypes.get(F.prototypeId);
      F.conflict = { text: current.text, version: current.version, mine: F.area.value };
      F.conflictBy = (rec && rec.versions[F.name] === current.version && rec.authors[F.name]) || F.changedBy || "";
      ui.keepFocus(function () { F.mineSlot.appendChild(F.area); });
    }

    function endConflict(F) {
      F.conflict = null;
      F.changedBy = "";
      ui.keepFocus(function () { F.box.insertBefore(F.area, F.status); });
    }

    function keepMine(F) {
      F.base = F.conflict.version;
      F.baseText = F.conflict.text;
      endConflict(F);
      keepDraft(F);
      save(F);
    }

    function takeTheirs(F) {
      F.area.value = F.baseText = F.conflict.text;
      F.base = F.conflict.version;
      endConflict(F);
      dropDraft(F);
      render(F);
    }

    function combine(F) {
      var mine = F.area.value.trim();
      var theirs = F.conflict.text.trim();
      F.area.value = mine.indexOf(theirs) >= 0 ? mine : theirs + (theirs && mine ? "\n" : "") + mine;
      keepDraft(F);
      F.area.focus();
      render(F);
    }

    // Bring a field in line with the state after an event, an ack or a blur.
    function reconcile(F) {
      var rec = state.prototypes.get(F.prototypeId);
      if (!rec || F.inFlight) { render(F); return; }
      var version = rec.versions[F.name] || 0;
      var text = rec.fields[F.name] || "";
      if (F.conflict) {
        if (version > F.conflict.version) {
          F.conflict.text = text;
          F.conflict.version = version;
          F.conflictBy = rec.authors[F.name] || "";
        }
      } else if (version > F.base) {
        var by = rec.authors[F.name] || t("someone");
        if (!dirty(F)) {
          var focused = document.activeElement === F.area;
          var start = F.area.selectionStart;
          F.area.value = F.baseText = text;
          F.base = version;
          F.saved = false;
          F.updatedBy = by;
          F.changedBy = "";
          if (focused) F.area.setSelectionRange(Math.min(start, text.length), Math.min(start, text.length));
        } else {
          F.changedBy = by; // their words wait on the server; ours stay here until we compare
        }
      }
      render(F);
    }

    function render(F) {
      var editable = opts.canEdit(F.prototypeId);
      F.area.readOnly = !editable;
      F.box.classList.toggle("has-conflict", !!F.conflict);
      F.conflictBox.hidden = !F.conflict;
      var status = "";
      var kind = "";
      if (F.conflict) {
        F.theirs.textContent = F.conflict.text || t("(empty)");
        F.theirsHead.textContent = F.conflictBy ? t("Saved by {name}", { name: F.conflictBy }) : t("Saved by someone else");
        F.keep.textContent = F.area.value === F.conflict.mine ? t("Keep mine") : t("Save this text");
        status = t("Two versions: choose below. Nothing is lost.");
        kind = "warn";
      } else if (F.inFlight) {
        status = t("Saving…");
      } else if (F.error) {
        status = F.error;
        kind = "error";
      } else if (F.changedBy && dirty(F)) {
        status = t("Changed by {name} while you were writing. Saving will show both texts.", { name: F.changedBy });
        kind = "warn";
      } else if (dirty(F)) {
        status = editable ? t("Not saved yet") : t("Not saved: you cannot edit now. Your text is kept on this tablet.");
      } else if (F.updatedBy) {
        status = t("Updated by {name}", { name: F.updatedBy });
      } else if (F.saved) {
        status = t("Saved") + " ✓";
        kind = "ok";
      }
      F.status.textContent = status;
      F.status.className = "field-status" + (kind ? " is-" + kind : "");
      F.box.dataset.state = F.conflict ? "conflict" : F.inFlight ? "saving" : dirty(F) ? "dirty" : "saved";
    }

    function field(rec, spec) {
      var F = {
        prototypeId: rec.id, name: spec[0], base: rec.versions[spec[0]] || 0, baseText: rec.fields[spec[0]] || "",
        inFlight: false, again: false, timer: null, conflict: null, error: "", waiting: false, saved: false,
        changedBy: "", updatedBy: "",
      };
      F.key = draftKey(F);
      F.box = ui.el("div", "canvas-field");
      F.box.dataset.field = F.name;
      var id = "canvas-" + rec.id + "-" + F.name;
      var label = F.box.appendChild(ui.el("label", "canvas-label", spec[1]));
      label.htmlFor = id;
      F.area = ui.el("textarea", "canvas-text");
      F.area.id = id;
      F.area.name = F.name;
      F.area.dir = "auto";
      F.area.maxLength = spec[2];
      F.area.rows = F.name === "title" ? 1 : 3;
      F.area.value = F.baseText;
      F.box.appendChild(F.area);
      F.status = F.box.appendChild(ui.el("p", "field-status"));
      F.status.setAttribute("aria-live", "polite");

      F.conflictBox = ui.el("div", "conflict");
      F.conflictBox.setAttribute("role", "group");
      F.conflictBox.setAttribute("aria-label", t("Two versions of {field}", { field: spec[1] }));
      var sides = F.conflictBox.appendChild(ui.el("div", "conflict-sides"));
      F.mineSlot = sides.appendChild(ui.el("div", "conflict-side conflict-mine"));
      F.mineSlot.appendChild(ui.el("p", "conflict-head", t("Your text")));
      var theirs = sides.appendChild(ui.el("div", "conflict-side conflict-theirs"));
      F.theirsHead = theirs.appendChild(ui.el("p", "conflict-head", t("Saved by someone else")));
      F.theirs = theirs.appendChild(ui.text("p", "conflict-text", ""));
      var actions = F.conflictBox.appendChild(ui.el("div", "conflict-actions"));
      F.keep = actions.appendChild(ui.button(t("Keep mine"), "primary", function () { keepMine(F); }));
      actions.appendChild(ui.button(t("Take theirs"), "", function () { takeTheirs(F); }));
      actions.appendChild(ui.button(t("Put both together"), "ghost", function () { combine(F); }));
      F.conflictBox.appendChild(ui.el("p", "hint", t("You can also edit your text to merge both, then save it.")));
      F.box.appendChild(F.conflictBox);

      F.area.addEventListener("input", function () {
        F.saved = false;
        F.updatedBy = "";
        F.error = "";
        keepDraft(F);
        clearTimeout(F.timer);
        if (!F.conflict) F.timer = setTimeout(function () { save(F); }, IDLE_MS);
        render(F);
      });
      F.area.addEventListener("blur", function () { save(F); reconcile(F); });

      var draft = readDraft(F.key);
      if (draft && draft.text !== F.baseText) {
        F.area.value = draft.text;
        if (draft.base === F.base) F.timer = setTimeout(function () { save(F); }, 0);
        else { F.base = draft.base; startConflict(F, { text: F.baseText, version: rec.versions[F.name] || 0 }); }
      } else if (draft) {
        dropDraft(F);
      }
      render(F);
      return F;
    }

    function build(rec) {
      var root = ui.el("div", "canvas");
      root.dataset.prototypeId = rec.id;
      var bar = root.appendChild(ui.el("div", "canvas-bar"));
      bar.appendChild(ui.button(t("All prototypes"), "ghost canvas-back", close)).prepend(ui.arrow("←"), " ");
      var head = bar.appendChild(ui.el("div", "canvas-head"));
      var notice = root.appendChild(ui.el("p", "canvas-notice"));
      var grid = root.appendChild(ui.el("div", "canvas-fields"));
      open = { id: rec.id, root: root, head: head, notice: notice, fields: [] };
      Ponte.CANVAS.forEach(function (spec) {
        var F = field(rec, spec);
        open.fields.push(F);
        grid.appendChild(F.box);
      });
      open.evidence = root.appendChild(ui.el("section", "canvas-evidence"));
      var said = root.appendChild(ui.el("section", "canvas-feedback"));
      said.appendChild(ui.el("h3", null, t("What decision makers said")));
      open.feedback = said.appendChild(ui.el("div"));
      return root;
    }

    function close() {
      if (!open) return;
      open.fields.forEach(function (F) { if (!F.conflict && dirty(F)) save(F); });
      open = null;
      host.replaceChildren();
      host.hidden = true;
      opts.onClose();
    }

    function draw() {
      if (!open) return;
      var rec = state.prototypes.get(open.id);
      if (!rec) return;
      open.head.replaceChildren(ui.text("h2", "canvas-title", ui.prototypeTitle(rec)), ui.prototypeMeta(state, rec));
      var editable = opts.canEdit(rec.id);
      open.notice.textContent = editable ? t("Write in any field. Each one saves by itself.") : opts.readOnlyNote(rec);
      open.fields.forEach(function (F) {
        reconcile(F);
        // Words kept while writing was closed (locked board, another phase) go out now.
        var idle = !F.inFlight && !F.conflict && !F.timer && document.activeElement !== F.area;
        if (editable && idle && dirty(F) && (!F.error || F.waiting)) F.timer = setTimeout(function () { save(F); }, IDLE_MS);
      });
      opts.evidence(rec, open.evidence, editable);
      open.feedback.replaceChildren(ui.feedbackList(state, rec));
    }

    return {
      open: function (id) {
        var rec = state.prototypes.get(id);
        if (!rec || (open && open.id === id)) return;
        if (open) close();
        host.replaceChildren(build(rec));
        host.hidden = false;
        draw();
        host.scrollIntoView({ block: "start" });
      },
      close: close,
      draw: draw,
      openId: function () { return open ? open.id : null; },
      // The next person on a shared tablet must not find these words.
      forget: function () {
        Object.keys(localStorage).forEach(function (k) { if (k.indexOf(opts.storeKey + ":proto:") === 0) localStorage.removeItem(k); });
      },
    };
  };
})();
