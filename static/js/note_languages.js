// Notes in many languages, shared by the tablet, the console and the projector:
// - a note is shown in the viewer's language when someone translated it ("Show original"
//   swaps back), with a badge saying the language it was written in;
// - voice notes play in an <audio> player that survives redraws, with their transcription;
// - "said by Amina, written by Marco" when a mediator wrote the note for its author;
// - mediators (and staff) translate, confirm machine drafts and transcribe voice notes;
// - mediators write notes for someone else (the composer's "Written for" fields);
// - a participant changes their language from the tablet's 🌐 button.
(function () {
  "use strict";

  var Ponte = window.Ponte;
  var ui = Ponte.ui;
  // Outside the t("...{name}") calls that use them: the extractor reads no t() nested in another.
  var A_MEDIATOR = t("a mediator");
  var ANONYMOUS = t("Anonymous");

  // --- languages --------------------------------------------------------------------------

  function base(code) { return String(code || "").toLowerCase().split("-")[0]; }

  ui.sameLanguage = function (a, b) {
    if (!a || !b) return false;
    return String(a).toLowerCase() === String(b).toLowerCase() || base(a) === base(b);
  };

  // A language's name in itself: "Italiano", "中文", "العربية".
  ui.languageName = function (state, code) {
    if (!code) return "";
    var names = (state && state.languageNames) || {};
    if (names[code]) return names[code];
    try {
      var name = new Intl.DisplayNames([code], { type: "language" }).of(code);
      if (name && name !== code) return name.charAt(0).toLocaleUpperCase(code) + name.slice(1);
    } catch (e) { /* an unknown code: show it as it is */ }
    return code;
  };

  // The process languages first, then any others given, without repeats.
  ui.languageList = function (state, extra) {
    var seen = {};
    var list = [];
    ((state.workshop && state.workshop.languages) || []).concat(extra || []).forEach(function (code) {
      if (code && !seen[code]) { seen[code] = true; list.push(code); }
    });
    return list;
  };

  // The translation of `post` into the viewer's language, when the note is in another one.
  ui.translationFor = function (post, state) {
    var mine = state.me && state.me.language;
    if (!mine || !post.text || !post.language || ui.sameLanguage(post.language, mine)) return null;
    var list = post.translations || [];
    return list.find(function (x) { return x.language === mine && x.text; }) ||
      list.find(function (x) { return ui.sameLanguage(x.language, mine) && x.text; }) || null;
  };

  // The text a screen shows for a note (the projector's spotlight uses it too).
  ui.displayText = function (post, state) {
    var translation = post.id && !originals.has(post.id) ? ui.translationFor(post, state) : null;
    return translation ? { text: translation.text, language: translation.language } : { text: post.text, language: post.language };
  };

  // --- the body of a note -----------------------------------------------------------------

  var originals = new Set(); // ids of notes whose reader asked for the original
  var players = new Map(); // post id -> its <audio>: a redraw must not stop a voice note playing

  function clock(seconds) { return ui.formatClock(Math.max(0, Math.round(Number(seconds) || 0)) * 1000); }

  function voicePlayer(post, state) {
    var box = ui.el("div", "note-voice");
    box.appendChild(ui.el("span", "voice-icon", "🎤")).setAttribute("aria-hidden", "true");
    var seconds = post.audio ? post.audio.seconds : 0;
    box.appendChild(ui.el("span", "voice-label", t("Voice note") + " · " + clock(seconds)));
    var url = post.audio && post.audio.url;
    if (!url) return box;
    var audio = players.get(post.id);
    if (!audio || audio.dataset.src !== url) {
      audio = document.createElement("audio");
      audio.controls = true;
      audio.preload = "metadata";
      audio.src = url;
      audio.dataset.src = url;
      players.set(post.id, audio);
    }
    audio.setAttribute("aria-label", t("Voice note of {name}, {seconds} seconds", {
      name: post.author.name || ANONYMOUS, seconds: Math.round(Number(seconds) || 0),
    }));
    if (post.language) audio.lang = post.language;
    box.appendChild(audio);
    return box;
  }

  function translationLine(post, state, translation, original) {
    var line = ui.el("p", "note-translated");
    var from = ui.languageName(state, post.language);
    var label;
    if (original) label = t("Original, in {language}", { language: from });
    else if (translation.machine && !translation.verified) label = t("Machine translation, not verified");
    else {
      label = t("Translated from {language} by {name}", {
        language: from, name: (translation.translator && translation.translator.name) || A_MEDIATOR,
      });
    }
    line.appendChild(ui.el("span", "translated-icon", translation.machine && !translation.verified && !original ? "🤖" : "🌐"))
      .setAttribute("aria-hidden", "true");
    line.appendChild(ui.text("span", "translated-label", label));
    if (translation.machine && !translation.verified && !original) line.classList.add("is-machine");
    var toggle = ui.button(t("Show original"), "small ghost show-original", function () {
      if (originals.has(post.id)) originals.delete(post.id); else originals.add(post.id);
      // Only this note changes: swap its body in place and keep the focus on the button.
      var body = toggle.closest(".note-body");
      if (!body) return;
      var fresh = ui.noteBody(state.posts.get(post.id) || post, state);
      body.replaceWith(fresh);
      var again = fresh.querySelector(".show-original");
      if (again) again.focus();
    });
    toggle.setAttribute("aria-pressed", String(original));
    line.appendChild(toggle);
    return line;
  }

  // The text of a note (translated when it can be), its voice player and who wrote it down.
  ui.noteBody = function (post, state) {
    var body = ui.el("div", "note-body");
    if (post.kind === "voice") body.appendChild(voicePlayer(post, state));
    var translation = post.id ? ui.translationFor(post, state) : null;
    var original = !!translation && originals.has(post.id);
    var shown = translation && !original ? translation : null;
    var text = shown ? shown.text : post.text;
    if (text) {
      var p = ui.text("p", "note-text", text);
      var language = shown ? shown.language : post.language;
      if (language) p.lang = language;
      if (shown) p.classList.add("is-translation");
      body.appendChild(p);
    } else if (post.kind === "voice") {
      body.appendChild(ui.el("p", "note-untranscribed muted", t("Not written down yet.")));
    }
    if (post.kind === "voice" && post.text && post.transcriber) {
      body.appendChild(ui.text("p", "note-transcriber muted", t("Written down by {name}", {
        name: post.transcriber.name || A_MEDIATOR,
      })));
    }
    if (translation) body.appendChild(translationLine(post, state, translation, original));
    return body;
  };

  // The note's language badge, and "said by …, written by …" when a mediator wrote it.
  ui.noteMeta = function (meta, post, state, card) {
    if (card && post.kind === "voice") card.classList.add("is-voice");
    if (post.scribe) {
      var author = meta.querySelector(".note-author");
      if (author) {
        author.textContent = t("said by {author}, written by {scribe}", {
          author: post.author.name || ANONYMOUS, scribe: post.scribe.name || A_MEDIATOR,
        });
        author.classList.add("has-scribe");
      }
    }
    if (post.language) {
      var badge = ui.el("span", "badge lang-badge");
      badge.appendChild(ui.el("span", "visually-hidden", t("Language:") + " "));
      var name = badge.appendChild(ui.el("span", null, ui.languageName(state, post.language)));
      name.lang = post.language;
      badge.dataset.language = post.language;
      meta.appendChild(badge);
    }
  };

  // --- mediators: translate, confirm, transcribe -------------------------------------------

  var forms = new Map(); // post id -> the open form (the same node across redraws)

  function existing(post, language) {
    return (post.translations || []).find(function (x) { return x.language === language; }) || null;
  }

  function unverified(translation) { return !!translation && translation.machine && !translation.verified; }

  ui.mayTranslate = function (state) {
    return !!(state.me && state.me.can_translate) && state.session.status === "live";
  };

  // The form that translates a note (or checks a machine draft) into one language.
  function translateForm(client, post, language) {
    var state = client.state;
    var form = ui.el("form", "translate-form stack");
    form.dataset.postId = post.id;
    var targets = ui.languageList(state).filter(function (code) { return !ui.sameLanguage(code, post.language); });
    if (!targets.length) targets = ui.languageList(state, [state.me.language]).filter(function (c) { return c !== post.language; });

    var pick = ui.el("label", "translate-language");
    pick.appendChild(ui.el("span", null, t("Translate into")));
    var select = pick.appendChild(ui.el("select", "translate-select"));
    select.name = "language";
    targets.forEach(function (code) {
      var option = select.appendChild(ui.el("option", null, ui.languageName(state, code)));
      option.value = code;
      option.lang = code;
    });
    var first = language || targets.find(function (c) { return !existing(post, c); }) || targets[0];
    if (first) select.value = first;

    var area = ui.el("label", "translate-text");
    area.appendChild(ui.el("span", null, t("Translation")));
    var field = area.appendChild(ui.el("textarea", "translate-field"));
    field.name = "text";
    field.rows = 3;
    field.maxLength = 2000;
    field.dir = "auto";

    var row = ui.el("div", "inline-edit-row");
    var save = row.appendChild(ui.el("button", "button primary small translate-save"));
    save.type = "submit";
    var draft = null;
    if (state.machineTranslation) {
      draft = row.appendChild(ui.button("🤖 " + t("Machine draft"), "small machine-draft", function () {
        ui.act(client, "machine_translate", { post_id: post.id, language: select.value }, draft).then(function (ack) {
          if (!ack.ok) return;
          put(ack.translation);
          fill(true);
        });
      }));
    }
    row.appendChild(ui.button(t("Cancel"), "ghost small", close));
    var error = ui.el("p", "field-error");
    error.setAttribute("role", "alert");
    error.hidden = true;
    form.appendChild(pick);
    form.appendChild(area);
    form.appendChild(row);
    form.appendChild(error);

    var prefilled = "";
    function current() { return existing(state.posts.get(post.id) || post, select.value); }
    // Fill the box with what exists in that language, unless the mediator has typed something.
    function fill(force) {
      var known = current();
      if (force || field.value === prefilled) {
        prefilled = known ? known.text : "";
        field.value = prefilled;
      }
      field.lang = select.value;
      save.textContent = unverified(known) ? "✓ " + t("Confirm translation") : t("Save translation");
    }
    fill(true);
    select.addEventListener("change", function () { fill(false); });

    function put(translation) {
      var live = state.posts.get(post.id);
      if (live && translation) Ponte.putTranslation(live, translation);
      client.changed();
    }
    function close() { forms.delete(post.id); client.changed(); refocus(post.id, "button.translate"); }
    form.addEventListener("keydown", function (event) { if (event.key === "Escape") close(); });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var text = field.value.trim();
      if (!text) { error.textContent = t("Write the translation first."); error.hidden = false; field.focus(); return; }
      error.hidden = true;
      var known = current();
      var type = unverified(known) ? "confirm_translation" : "translate_post";
      var payload = { post_id: post.id, language: select.value };
      if (type === "translate_post" || text !== known.text) payload.text = text;
      save.disabled = true;
      client.request(type, payload).then(function (ack) {
        save.disabled = false;
        if (!ack.ok) { error.textContent = ack.error.message; error.hidden = false; return; }
        put(ack.translation);
        close();
        ui.toast(t("Translation saved. Everyone reading {language} sees it now.", { language: ui.languageName(state, payload.language) }));
      });
    });
    return { node: form, focus: function () { field.focus(); } };
  }

  // The form that writes down what a voice note says.
  function transcribeForm(client, post) {
    var form = ui.el("form", "transcribe-form stack");
    form.dataset.postId = post.id;
    var area = ui.el("label", "translate-text");
    area.appendChild(ui.el("span", null, t("What the voice note says")));
    var field = area.appendChild(ui.el("textarea", "transcribe-field"));
    field.rows = 3;
    field.maxLength = 2000;
    field.dir = "auto";
    if (post.language) field.lang = post.language;
    field.value = post.text || "";
    var row = ui.el("div", "inline-edit-row");
    var save = row.appendChild(ui.el("button", "button primary small", t("Save the transcription")));
    save.type = "submit";
    row.appendChild(ui.button(t("Cancel"), "ghost small", close));
    var error = ui.el("p", "field-error");
    error.setAttribute("role", "alert");
    error.hidden = true;
    form.appendChild(area);
    form.appendChild(row);
    form.appendChild(error);
    function close() { forms.delete(post.id); client.changed(); refocus(post.id, "button.transcribe"); }
    form.addEventListener("keydown", function (event) { if (event.key === "Escape") close(); });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var text = field.value.trim();
      if (!text) { error.textContent = t("Write what the voice note says first."); error.hidden = false; return; }
      save.disabled = true;
      client.request("transcribe_post", { post_id: post.id, text: text }).then(function (ack) {
        save.disabled = false;
        if (!ack.ok) { error.textContent = ack.error.message; error.hidden = false; return; }
        var live = client.state.posts.get(post.id);
        if (live && ack.post) { live.text = ack.post.text; live.transcriber = ack.post.transcriber; }
        close();
      });
    });
    return { node: form, focus: function () { field.focus(); } };
  }

  // After a form closes, the focus goes back to the button that opened it (once redrawn).
  function refocus(postId, selector) {
    setTimeout(function () {
      var button = document.querySelector('.note[data-post-id="' + postId + '"] ' + selector);
      if (button) button.focus();
    }, 0);
  }

  function open(client, post, make) {
    var made = make();
    forms.set(post.id, made.node);
    client.changed();
    setTimeout(made.focus, 0);
  }

  // The mediator's buttons on a note (and the open form, if any), added to `box`.
  ui.mediatorActions = function (client, post, box) {
    var state = client.state;
    if (!post.id || post.hidden || !ui.mayTranslate(state)) return;
    var form = forms.get(post.id);
    if (post.kind === "voice") {
      var transcribe = box.appendChild(ui.button("✍️ " + (post.text ? t("Edit the transcription") : t("Transcribe")), "small transcribe", function () {
        open(client, post, function () { return transcribeForm(client, post); });
      }));
      transcribe.setAttribute("aria-expanded", String(!!form && form.classList.contains("transcribe-form")));
    }
    if (post.text) {
      var translate = box.appendChild(ui.button("🌐 " + t("Translate"), "small translate", function () {
        open(client, post, function () { return translateForm(client, post, null); });
      }));
      translate.setAttribute("aria-expanded", String(!!form && form.classList.contains("translate-form")));
      (post.translations || []).filter(unverified).forEach(function (translation) {
        box.appendChild(ui.button("✓ " + t("Confirm {language}", { language: ui.languageName(state, translation.language) }), "small confirm-translation", function () {
          open(client, post, function () { return translateForm(client, post, translation.language); });
        })).dataset.language = translation.language;
      });
    }
    if (form) box.appendChild(form);
  };

  // --- the composer: writing for someone else ---------------------------------------------

  // "Written for:" and "Language of the text", for mediators and staff.
  // Returns {node, draw(), values() -> {said_by?, language?}, reset()}.
  ui.mediatorFields = function (client) {
    var state = client.state;
    var node = ui.el("div", "composer-for");
    node.hidden = true;
    var forLabel = node.appendChild(ui.el("label", "composer-for-field"));
    forLabel.appendChild(ui.el("span", null, t("Written for:")));
    var person = forLabel.appendChild(ui.el("select", null));
    person.id = "composer-said-by";
    var pending = null; // someone just added without a device: chosen once they are listed
    if (Ponte.addPersonDialog) {
      var adder = Ponte.addPersonDialog(client, function (ack) {
        pending = String(ack.participant.id);
        drawn = "";
        client.changed();
      });
      var add = node.appendChild(ui.button("", "small ghost composer-add-person", function () { adder.open(); }));
      add.id = "add-person";
      add.appendChild(ui.el("span", null, "＋ ")).setAttribute("aria-hidden", "true");
      add.appendChild(document.createTextNode(t("Someone without a device")));
    }
    var langLabel = node.appendChild(ui.el("label", "composer-for-field"));
    langLabel.appendChild(ui.el("span", null, t("Language of the text")));
    var language = langLabel.appendChild(ui.el("select", null));
    language.id = "composer-language";
    var drawn = "";

    function people() { return state.forMediator || []; }
    function chosen() {
      var id = Number(person.value);
      return id ? people().find(function (p) { return p.participant_id === id; }) || null : null;
    }
    function defaultLanguage() {
      var who = chosen();
      return (who && who.language) || (state.me && state.me.language) || "";
    }
    person.addEventListener("change", function () { language.value = defaultLanguage(); });

    function draw() {
      var show = !!(state.me && state.me.can_translate);
      node.hidden = !show;
      if (!show) return;
      var list = people().filter(function (p) { return !state.me || p.participant_id !== state.me.participant_id; });
      var codes = ui.languageList(state, [state.me.language].concat(list.map(function (p) { return p.language; })));
      var key = JSON.stringify([list, codes]);
      if (key === drawn || document.activeElement === person || document.activeElement === language) return;
      drawn = key;
      var was = person.value;
      var wasLanguage = language.value;
      person.replaceChildren();
      person.appendChild(ui.el("option", null, t("myself"))).value = "";
      list.forEach(function (p) {
        var option = person.appendChild(ui.el("option", null, (ui.ROLE_ICONS[p.role] || "") + " " + p.name));
        option.value = String(p.participant_id);
        option.dir = "auto";
      });
      if (pending && list.some(function (p) { return String(p.participant_id) === pending; })) {
        was = pending;
        pending = null;
        wasLanguage = "";
      }
      person.value = list.some(function (p) { return String(p.participant_id) === was; }) ? was : "";
      language.replaceChildren();
      codes.forEach(function (code) {
        var option = language.appendChild(ui.el("option", null, ui.languageName(state, code)));
        option.value = code;
        option.lang = code;
      });
      language.value = codes.indexOf(wasLanguage) >= 0 ? wasLanguage : defaultLanguage();
    }

    return {
      node: node,
      draw: draw,
      values: function () {
        if (node.hidden) return {};
        var values = {};
        if (person.value) values.said_by = Number(person.value);
        if (language.value) values.language = language.value;
        return values;
      },
      // Who the note is for, to show it among the notes on their way.
      author: function (saidBy) {
        var who = people().find(function (p) { return p.participant_id === saidBy; });
        return who ? { name: who.name, role: who.role, participant_id: who.participant_id } : null;
      },
    };
  };

  // --- the tablet: changing one's language ------------------------------------------------

  // button: the 🌐 button, with data-interface-languages="it en zh ar" (what the pages speak).
  ui.languageSwitcher = function (client, button, onChanged) {
    var state = client.state;
    var spoken = (button.dataset.interfaceLanguages || "").split(/\s+/).filter(Boolean);
    var dialog = ui.el("dialog", "language-dialog");
    dialog.setAttribute("aria-labelledby", "language-dialog-title");
    document.body.appendChild(dialog);

    function choose(code, chip) {
      ui.act(client, "set_language", { language: code }, chip).then(function (ack) {
        if (!ack.ok) return;
        dialog.close();
        onChanged(ack.language || code);
        // The page speaks the new language when it can; otherwise it keeps the current one.
        var page = spoken.indexOf(base(code)) >= 0 ? base(code) : (window.ponteLanguage && window.ponteLanguage.code) || "";
        var url = new URL(window.location.href);
        if (page) url.searchParams.set("lang", page);
        window.location.replace(url.toString());
      });
    }

    function draw() {
      dialog.replaceChildren();
      var title = dialog.appendChild(ui.el("h2", null));
      title.id = "language-dialog-title";
      title.appendChild(ui.el("span", null, "🌐 ")).setAttribute("aria-hidden", "true");
      title.appendChild(document.createTextNode(t("Choose your language")));
      var list = dialog.appendChild(ui.el("div", "language-choices"));
      var mine = state.me && state.me.language;
      ui.languageList(state, [mine].concat(spoken)).forEach(function (code) {
        var chip = ui.button(ui.languageName(state, code), "language-choice", function () { choose(code, chip); });
        chip.lang = code;
        chip.dataset.language = code;
        chip.setAttribute("aria-pressed", String(code === mine));
        list.appendChild(chip);
      });
      var row = dialog.appendChild(ui.el("div", "inline-edit-row"));
      row.appendChild(ui.button(t("Cancel"), "ghost", function () { dialog.close(); }));
    }

    button.addEventListener("click", function () {
      draw();
      dialog.showModal();
      var current = dialog.querySelector('[aria-pressed="true"]') || dialog.querySelector("button");
      if (current) current.focus();
    });
  };
})();
