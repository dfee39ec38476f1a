// The interface's words in the page's language: t("Post") -> "Pubblica".
// The server puts the translated strings in <script type="application/json" id="ponte-i18n">
// (see ponte/i18n.py); a missing translation falls back to the English text.
(function () {
  "use strict";
  var data = { language: "en", dir: "ltr", messages: {} };
  var block = document.getElementById("ponte-i18n");
  if (block) {
    try { data = JSON.parse(block.textContent); } catch (error) { /* keep English */ }
  }

  // t("You have {left} votes", {left: 3}): placeholders in braces are filled from params.
  window.t = function (text, params) {
    var translated = data.messages[text] || text;
    if (!params) return translated;
    return translated.replace(/\{(\w+)\}/g, function (whole, name) {
      return Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : whole;
    });
  };
  window.ponteLanguage = { code: data.language, dir: data.dir };
})();
