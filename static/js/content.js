// The words the trainer and the groups wrote (the session's title, prompts, group names,
// themes, agenda items, commitments), in the viewer's language: the original is in the
// process's first language (state.contentLanguage), translations come from the catalogs (the
// defaults) or from mediators, live. The original is one tap away ("Original").
// Mediators get "Translations to do": what still lacks a checked translation, per language.
(function () {
  "use strict";

  var Ponte = window.Ponte;
  var ui = Ponte.ui;
  var originals = new Set(); // "subject:id:field" the viewer chose to read in the original

  function key(subject, id, field) { return subject + ":" + id + ":" + field; }
  function base(code) { return String(code || "").toLowerCase().split("-")[0]; }

  Ponte.putContentTranslation = function (state, translation) {
    var k = key(translation.subject, translation.subject_id, translation.field);
    var list = (state.contentTranslations.get(k) || []).filter(function (x) { return x.language !== translation.language; });
    if (translation.text !== null && translation.text !== undefined) list.push(translation);
    state.contentTranslations.set(k, list);
  };

  // What to show of a field: {text, language, translation (null: the original), original}.
  // The viewer's own language first; then the page's (a person whose language has no
  // translation reads the interface's); then the original.
  ui.say = function (state, subject, id, field, text) {
    var plain = { text: text, language: state.contentLanguage, translation: null, original: text };
    var wanted = [base(state.me && state.me.language), base(window.ponteLanguage && window.ponteLanguage.code)];
    if (!text || !wanted[0] || wanted[0] === base(state.contentLanguage)) return plain;
    if (originals.has(key(subject, id, field))) return Object.assign(plain, { shownOriginal: true });
    var list = state.contentTranslations.get(key(subject, id, field)) || [];
    for (var i = 0; i < wanted.length; i++) {
      if (wanted[i] === base(state.contentLanguage)) return plain;
      var found = list.find(function (x) { return base(x.language) === wanted[i]; });
      if (found) return { text: found.text, language: found.language, translation: found, original: text };
    }
    return plain;
  };

  // The text alone, in the viewer's language (for chips, hints, the page title).
  ui.said = function (state, subject, id, field, text) { return ui.say(state, subject, id, field, text).text; };

  // A node with the text in the viewer's language, its lang attribute set.
  ui.saidNode = function (tag, className, state, subject, id, field, text) {
    var said = ui.say(state, subject, id, field, text);
    var node = ui.text(tag, className, said.text);
    if (said.language) node.lang = said.language;
    if (said.translation) {
      node.dataset.translated = said.translation.verified ? "verified" : "machine";
      node.title = t("Original: {text}", { text: said.original });
    }
    return node;
  };

  // "Original" / "Translation": one tap between the two, beside a translated heading.
  ui.originalToggle = function (client, subject, id, field, text) {
    var state = client.state;
    var said = ui.say(state, subject, id, field, text);
    if (!said.translation && !said.shownOriginal) return null;
    var k = key(subject, id, field);
    var showing = originals.has(k);
    var button = ui.button(showing ? t("Translation") : t("Original"), "small ghost original-toggle", function () {
      if (originals.has(k)) originals.delete(k); else originals.add(k);
      client.changed();
    });
    button.setAttribute("aria-pressed", String(showing));
    if (said.translation && !said.translation.verified) {
      button.title = t("Machine translation, not verified");
    }
    return button;
  };

  // The prompt shown or the agenda item discussed now: {label, text, language}, or null.
  ui.nowLine = function (state) {
    var s = state.session;
    var said = null;
    var label = "";
    if (s.kind === "listening" && s.current_prompt_id) {
      var prompt = state.prompts.find(function (p) { return p.id === s.current_prompt_id; });
      label = t("Question");
      if (prompt) said = ui.say(state, "prompt", prompt.id, "text", prompt.text);
    } else if (s.kind === "face_to_face" && s.current_agenda_item_id) {
      var item = state.agenda.find(function (a) { return a.id === s.current_agenda_item_id; });
      label = t("Now discussing");
      if (item) said = ui.say(state, "agenda_item", item.id, "title", item.title);
    }
    return said && said.text ? { label: label, text: said.text, language: said.language } : null;
  };

  // --- what still needs a translation (mediators, trainers) -------------------------------

  // The translatable fields of the session as the screen knows them: [{subject, id, field, text, label}].
  function fields(state) {
    var all = [{ subject: "session", id: state.session.id, field: "title", text: state.session.title, label: t("Session title") }];
    state.prompts.forEach(function (p) { all.push({ subject: "prompt", id: p.id, field: "text", text: p.text, label: t("Question") }); });
    state.groups.forEach(function (g) { all.push({ subject: "group", id: g.id, field: "name", text: g.name, label: t("Group") }); });
    state.clusters.forEach(function (c) { all.push({ subject: "cluster", id: c.id, field: "name", text: c.name, label: t("Theme") }); });
    state.agenda.forEach(function (a) { all.push({ subject: "agenda_item", id: a.id, field: "title", text: a.title, label: t("Agenda item") }); });
    state.commitments.forEach(function (c) {
      all.push({ subject: "commitment", id: c.id, field: "what", text: c.what, label: t("Commitment") });
      if (c.public_update) all.push({ subject: "commitment", id: c.id, field: "public_update", text: c.public_update, label: t("Public update") });
    });
    if (state.prototypes) state.prototypes.forEach(function (rec) {
      CANVAS.forEach(function (name) {
        all.push({ subject: "prototype", id: rec.id, field: name, text: rec.fields[name], label: t("Prototype") });
      });
      all.push({ subject: "prototype", id: rec.id, field: "status_reason", text: rec.status_reason, label: t("Prototype") });
    });
    return all.filter(function (f) { return f.text; });
  }
  // The canvas, in the order of prototypes/models.py.
  var CANVAS = ["title", "problem", "affected", "idea", "how_it_works", "actors", "resources", "first_steps", "risks", "success_measure"];

  // The fields without a checked translation into ``language``.
  Ponte.missingTranslations = function (state, language) {
    if (base(language) === base(state.contentLanguage)) return [];
    return fields(state).filter(function (f) {
      var list = state.contentTranslations.get(key(f.subject, f.id, f.field)) || [];
      return !list.some(function (x) { return x.language === language && x.verified; });
    });
  };

  Ponte.coveragePanel = function (client, container) {
    var state = client.state;
    var panel = ui.el("details", "panel coverage");
    panel.id = "coverage";
    var summary = panel.appendChild(ui.el("summary"));
    var list = panel.appendChild(ui.el("div", "coverage-list"));
    container.appendChild(panel);
    var chosen = null;
    var drawn = "";

    function languages() {
      var all = (state.workshop && state.workshop.languages) || [];
      return all.filter(function (code) { return base(code) !== base(state.contentLanguage); });
    }

    function row(language, f) {
      var item = ui.el("li", "coverage-item");
      item.dataset.subject = f.subject;
      item.dataset.subjectId = f.id;
      item.dataset.field = f.field;
      item.appendChild(ui.el("span", "badge", f.label));
      var original = item.appendChild(ui.text("span", "coverage-original", f.text));
      original.lang = state.contentLanguage;
      var form = item.appendChild(ui.el("form", "inline-form"));
      var input = form.appendChild(ui.el("input"));
      input.dir = "auto";
      input.lang = language;
      input.maxLength = 4000;
      input.setAttribute("aria-label", t("Translation into {language}: {text}", { language: ui.languageName(state, language), text: f.text }));
      var save = form.appendChild(ui.el("button", "button small primary", t("Save")));
      save.type = "submit";
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        if (!input.value.trim()) { input.focus(); return; }
        ui.act(client, "translate_content", {
          subject: f.subject, subject_id: f.id, field: f.field, language: language, text: input.value.trim(),
        }, save).then(function (ack) {
          if (ack.ok) { Ponte.putContentTranslation(state, ack.translation); drawn = ""; client.changed(); }
        });
      });
      return item;
    }

    return function draw() {
      var show = !!(state.me && state.me.can_translate) && languages().length > 0;
      panel.hidden = !show;
      if (!show) return;
      var codes = languages();
      if (!chosen || codes.indexOf(chosen) < 0) chosen = codes.indexOf(base(state.me.language)) >= 0 ? base(state.me.language) : codes[0];
      var missing = {};
      codes.forEach(function (code) { missing[code] = Ponte.missingTranslations(state, code); });
      var signature = JSON.stringify([chosen, missing]);
      if (signature === drawn || panel.contains(document.activeElement) && document.activeElement.tagName === "INPUT") return;
      drawn = signature;
      var total = codes.reduce(function (n, code) { return n + missing[code].length; }, 0);
      summary.textContent = t("Translations to do ({count})", { count: total });
      list.replaceChildren();
      var tabs = list.appendChild(ui.el("div", "segmented"));
      tabs.setAttribute("role", "group");
      tabs.setAttribute("aria-label", t("Language"));
      codes.forEach(function (code) {
        var tab = tabs.appendChild(ui.button(ui.languageName(state, code) + " (" + missing[code].length + ")", "small", function () {
          chosen = code;
          drawn = "";
          client.changed();
        }));
        tab.lang = code;
        tab.dataset.language = code;
        tab.setAttribute("aria-pressed", String(code === chosen));
      });
      if (!missing[chosen].length) {
        list.appendChild(ui.el("p", "muted", t("Everything here is translated into {language}.", { language: ui.languageName(state, chosen) })));
        return;
      }
      var items = list.appendChild(ui.el("ul", "coverage-items"));
      items.dataset.language = chosen;
      missing[chosen].forEach(function (f) { items.appendChild(row(chosen, f)); });
    };
  };
})();
