// The publications page: follow each queued or running job until it is done or failed.
// Polls /api/publication-jobs/<id> once a second; writes with textContent only.
(function () {
  "use strict";

  var list = document.querySelector(".jobs");
  if (!list) return;
  var downloadPattern = list.dataset.download || "";

  function downloadUrl(publicationId) {
    return downloadPattern.replace(/\/0\/download$/, "/" + publicationId + "/download");
  }

  var STATES = { queued: t("queued"), running: t("running"), done: t("done"), failed: t("failed") };

  function show(item, job) {
    item.dataset.state = job.state;
    item.className = "job job-" + job.state;
    item.querySelector(".job-state").textContent = STATES[job.state] || job.state;
    var bar = item.querySelector("progress");
    bar.value = job.progress;
    bar.textContent = job.progress + "%";
    if (job.state === "done" && job.publication_id && !item.querySelector(".job-link")) {
      var link = document.createElement("a");
      link.className = "job-link";
      link.href = downloadUrl(job.publication_id);
      link.textContent = t("Download");
      item.appendChild(link);
    }
    if (job.state === "failed" && !item.querySelector(".job-error")) {
      var error = document.createElement("span");
      error.className = "job-error";
      error.textContent = (job.error || t("The render failed.")).slice(-200);
      item.appendChild(error);
    }
  }

  function follow(item) {
    var timer = window.setInterval(function () {
      fetch(item.dataset.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) throw new Error(response.status);
          return response.json();
        })
        .then(function (job) {
          show(item, job);
          if (job.state === "done" || job.state === "failed") window.clearInterval(timer);
        })
        .catch(function () { /* offline for a moment: try again next second */ });
    }, 1000);
  }

  list.querySelectorAll(".job").forEach(function (item) {
    if (item.dataset.state === "queued" || item.dataset.state === "running") follow(item);
  });
})();
