// People across the process: the consent question a person answers once on their tablet (in
// their language, with pictograms and a read-out), and someone added without a device by a
// trainer or a mediator. Words from people go in with textContent only.
(function () {
  "use strict";

  var Ponte = window.Ponte;
  var ui = Ponte.ui;

  var QUOTE_CHOICES = [
    { value: "named", icon: "🗣️👤", label: t("With my name"), hint: t("My words may be printed with my name.") },
    { value: "anonymous", icon: "🗣️", label: t("Without my name"), hint: t("My words may be printed, but not my name.") },
    { value: "internal", icon: "🔒", label: t("Only for the project team"), hint: t("My words are read in the internal report only, never published.") },
    { value: "never", icon: "🚫", label: t("Never"), hint: t("My words are not used anywhere outside this room.") },
  ];
  var PHOTO_CHOICES = [
    { value: true, icon: "📷✓", label: t("Yes, photos of me may be published") },
    { value: false, icon: "📷✕", label: t("No photos of me") },
  ];

  function base(code) { return String(code || "").toLowerCase().split("-")[0]; }

  // The browser's voice for a language, if it has one (speech synthesis varies by device).
  function voiceFor(language) {
    if (!("speechSynthesis" in window)) return null;
    var voices = window.speechSynthesis.getVoices() || [];
    return voices.find(function (v) { return base(v.lang) === base(language); }) || null;
  }

  function readAloud(language, texts) {
    var voice = voiceFor(language);
    if (!voice) return false;
    window.speechSynthesis.cancel();
    texts.forEach(function (text) {
      var utterance = new SpeechSynthesisUtterance(text);
      utterance.voice = voice;
      utterance.lang = voice.lang;
      window.speechSynthesis.speak(utterance);
    });
    return true;
  }

  function choiceTile(group, choice, checked, onPick) {
    var label = ui.el("label", "consent-tile");
    var input = label.appendChild(ui.el("input"));
    input.type = "radio";
    input.name = group;
    input.value = String(choice.value);
    input.checked = checked;
    input.addEventListener("change", function () { onPick(choice.value); });
    label.appendChild(ui.el("span", "consent-icon", choice.icon)).setAttribute("aria-hidden", "true");
    var words = label.appendChild(ui.el("span", "consent-words"));
    words.appendChild(ui.el("strong", null, choice.label));
    if (choice.hint) words.appendChild(ui.el("span", "consent-hint", choice.hint));
    return label;
  }

  // The consent question. opts: {language, onSaved(consent)}. Returns {open()}.
  Ponte.consentDialog = function (client, opts) {
    var state = client.state;
    var dialog = ui.el("dialog", "consent-dialog");
    dialog.setAttribute("aria-labelledby", "consent-title");
    dialog.setAttribute("aria-describedby", "consent-intro");
    dialog.id = "consent-dialog";
    document.body.appendChild(dialog);
    // Only a choice closes it the first time: the question is asked once, and really asked.
    dialog.addEventListener("cancel", function (event) {
      if (!(state.me && state.me.consent && state.me.consent.asked)) event.preventDefault();
    });

    function draw() {
      var current = (state.me && state.me.consent) || { quote: "internal", photos: false, asked: false };
      var chosen = { quote: current.asked ? current.quote : null, photos: current.asked ? current.photos : null };
      dialog.replaceChildren();
      var form = dialog.appendChild(ui.el("form", "stack consent-form"));
      var title = form.appendChild(ui.el("h2", null));
      title.id = "consent-title";
      title.appendChild(ui.el("span", null, "🛡️ ")).setAttribute("aria-hidden", "true");
      title.appendChild(document.createTextNode(t("Your words and your photos")));
      var intro = form.appendChild(ui.el("p", "consent-intro", t("What you say here helps the city. You decide how it may be used: you can change it later from the menu.")));
      intro.id = "consent-intro";
      // The process's own words (who reads what), as its staff wrote them.
      var wording = state.workshop && state.workshop.consent_wording;
      if (wording) {
        var own = form.appendChild(ui.el("p", "consent-wording", wording));
        own.id = "consent-wording";
        own.lang = (state.workshop.languages || [])[0] || "";
        own.dir = "auto";
      }
      var listen = form.appendChild(ui.button("", "ghost consent-listen"));
      listen.appendChild(ui.el("span", null, "🔊 ")).setAttribute("aria-hidden", "true");
      listen.appendChild(document.createTextNode(t("Listen")));
      listen.id = "consent-listen";
      listen.hidden = !voiceFor(opts.language());
      if ("speechSynthesis" in window && listen.hidden) {
        // Voices arrive late on some browsers: show the button once there is one.
        window.speechSynthesis.addEventListener("voiceschanged", function () { listen.hidden = !voiceFor(opts.language()); }, { once: true });
      }
      listen.addEventListener("click", function () {
        readAloud(opts.language(), [t("Your words and your photos"), intro.textContent,
          t("How may your words be used?")].concat(QUOTE_CHOICES.map(function (c) { return c.label + ". " + c.hint; }))
          .concat([t("May photos of you be published?")]).concat(PHOTO_CHOICES.map(function (c) { return c.label; })));
      });

      var quotes = form.appendChild(ui.el("fieldset", "consent-choices"));
      quotes.appendChild(ui.el("legend", null, t("How may your words be used?")));
      QUOTE_CHOICES.forEach(function (choice) {
        quotes.appendChild(choiceTile("consent-quote", choice, chosen.quote === choice.value, function (v) { chosen.quote = v; ready(); }));
      });
      var photos = form.appendChild(ui.el("fieldset", "consent-choices photos"));
      photos.appendChild(ui.el("legend", null, t("May photos of you be published?")));
      PHOTO_CHOICES.forEach(function (choice) {
        photos.appendChild(choiceTile("consent-photos", choice, chosen.photos === choice.value, function (v) { chosen.photos = v; ready(); }));
      });
      var error = form.appendChild(ui.el("p", "field-error"));
      error.setAttribute("role", "alert");
      error.hidden = true;
      var row = form.appendChild(ui.el("div", "inline-edit-row"));
      var save = row.appendChild(ui.el("button", "button primary big"));
      save.type = "submit";
      save.id = "consent-save";
      save.appendChild(ui.el("span", null, "✓ ")).setAttribute("aria-hidden", "true");
      save.appendChild(document.createTextNode(t("Save my choice")));
      if (current.asked) row.appendChild(ui.button(t("Cancel"), "ghost", function () { dialog.close(); }));

      function ready() { save.disabled = chosen.quote === null || chosen.photos === null; }
      ready();
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        if (save.disabled) return;
        ui.act(client, "set_consent", { quote: chosen.quote, photos: chosen.photos }, save).then(function (ack) {
          if (!ack.ok) {
            error.textContent = ack.error.message;
            error.hidden = false;
            return;
          }
          if (state.me) state.me.consent = ack.consent;
          if ("speechSynthesis" in window) window.speechSynthesis.cancel();
          dialog.close();
          ui.toast(t("Thank you. You can change this any time from the menu."));
          if (opts.onSaved) opts.onSaved(ack.consent);
        });
      });
    }

    return {
      open: function () {
        draw();
        if (!dialog.open) dialog.showModal();
        var first = dialog.querySelector("input:checked") || dialog.querySelector("input");
        if (first) first.focus();
      },
    };
  };

  // "Add someone without a device": a name or nickname, a role and a language. onAdded(ack).
  Ponte.addPersonDialog = function (client, onAdded) {
    var state = client.state;
    var dialog = ui.el("dialog", "add-person-dialog");
    dialog.setAttribute("aria-labelledby", "add-person-title");
    document.body.appendChild(dialog);

    function draw() {
      dialog.replaceChildren();
      var form = dialog.appendChild(ui.el("form", "stack"));
      form.autocomplete = "off";
      var title = form.appendChild(ui.el("h2", null));
      title.id = "add-person-title";
      title.appendChild(ui.el("span", null, "🪪 ")).setAttribute("aria-hidden", "true");
      title.appendChild(document.createTextNode(t("Add someone without a device")));
      form.appendChild(ui.el("p", "hint", t("You will write for them; their notes count as theirs. Staff can print their badge so they can join a shared tablet later.")));
      var nameLabel = form.appendChild(ui.el("label", null, t("Name or nickname")));
      var name = nameLabel.appendChild(ui.el("input"));
      name.name = "name";
      name.id = "add-person-name";
      name.maxLength = 60;
      name.required = true;
      name.dir = "auto";
      var roleLabel = form.appendChild(ui.el("label", null, t("Role")));
      var role = roleLabel.appendChild(ui.el("select"));
      role.name = "role";
      ["migrant", "decision_maker"].forEach(function (code) {
        role.appendChild(ui.el("option", null, ui.ROLE_LABELS[code])).value = code;
      });
      var languageLabel = form.appendChild(ui.el("label", null, t("Language")));
      var language = languageLabel.appendChild(ui.el("select"));
      language.name = "language";
      language.id = "add-person-language";
      ui.languageList(state, [state.me && state.me.language]).forEach(function (code) {
        var option = language.appendChild(ui.el("option", null, ui.languageName(state, code)));
        option.value = code;
        option.lang = code;
      });
      var error = form.appendChild(ui.el("p", "field-error"));
      error.setAttribute("role", "alert");
      error.hidden = true;
      var row = form.appendChild(ui.el("div", "inline-edit-row"));
      var add = row.appendChild(ui.el("button", "button primary", t("Add")));
      add.type = "submit";
      add.id = "add-person-submit";
      row.appendChild(ui.button(t("Cancel"), "ghost", function () { dialog.close(); }));
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        var payload = { name: name.value.trim(), role: role.value, language: language.value };
        if (!payload.name) {
          error.textContent = t("Type a name or a nickname.");
          error.hidden = false;
          name.focus();
          return;
        }
        ui.act(client, "add_person", payload, add).then(function (ack) {
          if (!ack.ok) {
            error.textContent = ack.error.message;
            error.hidden = false;
            return;
          }
          dialog.close();
          ui.toast(t("{name} is in the session. Badge: {badge}", { name: ack.participant.name, badge: ack.badge }));
          if (onAdded) onAdded(ack);
        });
      });
      return name;
    }

    return {
      open: function () {
        var first = draw();
        dialog.showModal();
        first.focus();
      },
    };
  };
})();
