// The join page: send the code, name, role and language (or a badge); keep the token and the
// person_key (the same person next time, in any session of the process); open the board.
(function () {
  "use strict";
  var form = document.getElementById("join-form");
  var PEOPLE = "ponte:people"; // [{workshop_id, person_id, key, name, role, language}], newest first
  var errorBox = document.getElementById("join-error");
  var submit = document.getElementById("join-submit");
  var language = document.getElementById("join-language");

  // The languages this page can speak (the server renders it in the chosen one).
  var spoken = (language.dataset.interfaceLanguages || "").split(/\s+/).filter(Boolean);
  var SAVED = "ponte:join-form"; // what was typed, kept across the reload into another language

  // The server selected the page's language. When the browser prefers a language we list but
  // the page cannot speak (Urdu, Wolof…), that one is the participant's.
  var preferred = (navigator.languages || [navigator.language || "it"]).map(function (l) {
    return l.toLowerCase().split("-")[0];
  });
  if (!new URLSearchParams(window.location.search).has("lang")) {
    for (var i = 0; i < preferred.length; i++) {
      if (language.querySelector('option[value="' + preferred[i] + '"]')) {
        if (spoken.indexOf(preferred[i]) < 0) language.value = preferred[i];
        break;
      }
    }
  }

  var saved = null;
  try { saved = JSON.parse(sessionStorage.getItem(SAVED) || "null"); } catch (e) { saved = null; }
  sessionStorage.removeItem(SAVED);
  if (saved) {
    if (saved.name && !form.elements.name.value) form.elements.name.value = saved.name;
    var role = saved.role && form.querySelector('input[name=role][value="' + saved.role + '"]');
    if (role) role.checked = true;
    if (saved.language && language.querySelector('option[value="' + saved.language + '"]')) language.value = saved.language;
  }

  // Choosing a language the page speaks reloads the page in it, keeping what was typed.
  language.addEventListener("change", function () {
    var code = language.value;
    if (spoken.indexOf(code) < 0 || code === language.dataset.pageLanguage) return;
    sessionStorage.setItem(SAVED, JSON.stringify({
      name: form.elements.name.value, role: form.elements.role.value, language: code,
    }));
    var url = new URL(window.location.href);
    url.searchParams.set("lang", code);
    var typed = form.elements.code.value.trim();
    if (typed) url.searchParams.set("code", typed); else url.searchParams.delete("code");
    submit.disabled = true; // the page in the new language takes over
    window.location.replace(url.toString());
  });

  // --- the person this tablet was last time -----------------------------------------------

  function known() {
    try {
      var list = JSON.parse(localStorage.getItem(PEOPLE) || "[]");
      return Array.isArray(list) ? list.filter(function (p) { return p && typeof p.key === "string"; }) : [];
    } catch (e) { return []; }
  }
  function remember(person) {
    var list = known().filter(function (p) { return p.workshop_id !== person.workshop_id; });
    list.unshift(person);
    localStorage.setItem(PEOPLE, JSON.stringify(list.slice(0, 5)));
  }
  var badgeBox = document.getElementById("badge-entry");
  var badgeInput = form.elements.badge;
  var welcome = document.getElementById("welcome-back");
  var last = known()[0];
  if (last && !badgeInput.value) {
    // Filled in as last time; "Not me" makes this tablet forget them (a shared tablet).
    if (!saved) {
      form.elements.name.value = last.name || "";
      var lastRole = form.querySelector('input[name=role][value="' + last.role + '"]');
      if (lastRole) lastRole.checked = true;
    }
    document.getElementById("welcome-text").textContent = t("Welcome back, {name}.", { name: last.name });
    var notMe = document.getElementById("not-me");
    notMe.textContent = t("Not {name}? Join as someone new", { name: last.name });
    notMe.addEventListener("click", function () {
      localStorage.removeItem(PEOPLE);
      last = null;
      welcome.hidden = true;
      form.elements.name.value = "";
      form.elements.name.focus();
    });
    welcome.hidden = false;
  }
  function usingBadge() { return badgeBox.open && badgeInput.value.trim() !== ""; }

  function showError(message) {
    errorBox.textContent = message;
    errorBox.hidden = false;
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    errorBox.hidden = true;
    var body = { code: form.elements.code.value.trim() };
    if (usingBadge()) {
      body.badge = badgeInput.value.trim(); // the person's own name, role and language
    } else {
      body.name = form.elements.name.value.trim();
      body.role = form.elements.role.value;
      body.language = language.value;
      // Every key this tablet holds: the server uses the one of this process, if any.
      var keys = known().map(function (p) { return p.key; });
      if (keys.length) body.person_key = keys;
    }
    if (!body.code) { showError(t("Type the code the trainer shows.")); form.elements.code.focus(); return; }
    if (!body.badge && !body.name) { showError(t("Type a name or a nickname.")); form.elements.name.focus(); return; }
    submit.disabled = true;
    fetch(form.dataset.api, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    })
      .then(function (response) {
        return response.json().then(function (data) { return { status: response.status, data: data }; });
      })
      .then(function (result) {
        if (result.status !== 200) {
          throw new Error(result.data && result.data.error ? result.data.error.message : t("Could not join."));
        }
        var data = result.data;
        var me = {
          token: data.token,
          participant_id: data.participant_id,
          person_id: data.person_id,
          name: data.name,
          role: data.role,
          language: data.language,
          waiting: !!data.waiting, // the trainer lets each person in (admission.js)
        };
        localStorage.setItem("ponte:session:" + data.session_id, JSON.stringify(me));
        remember({
          workshop_id: data.workshop_id, person_id: data.person_id, key: data.person_key,
          name: data.name, role: data.role, language: data.language,
        });
        var lang = spoken.indexOf(data.language) >= 0 ? "?lang=" + encodeURIComponent(data.language) : "";
        window.location.href = "/sessions/" + data.session_id + "/tablet" + lang;
      })
      .catch(function (error) {
        showError(error.message === "Failed to fetch" ? t("No connection. Try again.") : error.message);
        submit.disabled = false;
      });
  });

  submit.disabled = false; // ready
})();
