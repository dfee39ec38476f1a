// The join page: send the code, name, role and language; keep the token; open the board.
(function () {
  "use strict";
  var form = document.getElementById("join-form");
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

  function showError(message) {
    errorBox.textContent = message;
    errorBox.hidden = false;
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    errorBox.hidden = true;
    var body = {
      code: form.elements.code.value.trim(),
      name: form.elements.name.value.trim(),
      role: form.elements.role.value,
      language: language.value,
    };
    if (!body.code) { showError(t("Type the code the trainer shows.")); form.elements.code.focus(); return; }
    if (!body.name) { showError(t("Type a name or a nickname.")); form.elements.name.focus(); return; }
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
        var me = {
          token: result.data.token,
          participant_id: result.data.participant_id,
          name: body.name,
          role: body.role,
          language: body.language,
          waiting: !!result.data.waiting, // the trainer lets each person in (admission.js)
        };
        localStorage.setItem("ponte:session:" + result.data.session_id, JSON.stringify(me));
        var lang = spoken.indexOf(body.language) >= 0 ? "?lang=" + encodeURIComponent(body.language) : "";
        window.location.href = "/sessions/" + result.data.session_id + "/tablet" + lang;
      })
      .catch(function (error) {
        showError(error.message === "Failed to fetch" ? t("No connection. Try again.") : error.message);
        submit.disabled = false;
      });
  });

  submit.disabled = false; // ready
})();
