// The join page: send the code, name, role and language; keep the token; open the board.
(function () {
  "use strict";
  var form = document.getElementById("join-form");
  var errorBox = document.getElementById("join-error");
  var submit = document.getElementById("join-submit");
  var language = document.getElementById("join-language");

  // Default the language from the browser, when we offer it.
  var preferred = (navigator.languages || [navigator.language || "it"]).map(function (l) {
    return l.toLowerCase().split("-")[0];
  });
  for (var i = 0; i < preferred.length; i++) {
    if (language.querySelector('option[value="' + preferred[i] + '"]')) {
      language.value = preferred[i];
      break;
    }
  }

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
    if (!body.code) { showError("Type the code the trainer shows."); form.elements.code.focus(); return; }
    if (!body.name) { showError("Type a name or a nickname."); form.elements.name.focus(); return; }
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
          throw new Error(result.data && result.data.error ? result.data.error.message : "Could not join.");
        }
        var me = {
          token: result.data.token,
          participant_id: result.data.participant_id,
          name: body.name,
          role: body.role,
          language: body.language,
        };
        localStorage.setItem("ponte:session:" + result.data.session_id, JSON.stringify(me));
        window.location.href = "/sessions/" + result.data.session_id + "/tablet";
      })
      .catch(function (error) {
        showError(error.message === "Failed to fetch" ? "No connection. Try again." : error.message);
        submit.disabled = false;
      });
  });
})();
