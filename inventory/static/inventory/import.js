// Upload the data map with a progress bar: the upload's percentage, then an indeterminate bar
// while the server stores it; then the job's page, where a worker checks every row. Without
// JavaScript the form posts normally.
(function () {
  "use strict";
  function track(form, statusText) {
    form.addEventListener("submit", function (event) {
      var input = form.querySelector("input[type=file]");
      var size = input && input.files.length ? input.files[0].size : 0;
      var large = parseInt(form.dataset.large || "0", 10);
      if (input && size < large) { return; }
      event.preventDefault();
      var bar = document.getElementById("import-progress");
      var status = document.getElementById("import-status");
      var data = new FormData(form);
      if (event.submitter && event.submitter.name) { data.append(event.submitter.name, event.submitter.value); }
      form.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
      bar.style.display = "inline-block";
      bar.value = 0;
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.getAttribute("action") || window.location.href);  // form.action may be a field named "action"
      xhr.upload.onprogress = function (e) {
        if (!e.lengthComputable) { return; }
        bar.value = Math.round((e.loaded / e.total) * 100);
        status.textContent = statusText.upload + " " + bar.value + " %";
        if (e.loaded === e.total) { bar.removeAttribute("value"); status.textContent = statusText.check; }
      };
      xhr.onload = function () {
        // stored and queued: go to the job's page (it follows the worker); refused: show the form
        if (xhr.status === 200 && xhr.responseURL && xhr.responseURL !== window.location.href) { window.location.assign(xhr.responseURL); return; }
        document.open(); document.write(xhr.responseText); document.close();
        if (xhr.responseURL) { window.history.replaceState(null, "", xhr.responseURL); }
      };
      xhr.onerror = function () { status.textContent = statusText.error; form.querySelectorAll("button").forEach(function (b) { b.disabled = false; }); };
      xhr.send(data);
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("import-form");
    if (!form) { return; }
    var texts = { upload: form.dataset.uploading || "Uploading", check: form.dataset.checking || "Checking every row…", error: form.dataset.failed || "The upload failed." };
    track(form, texts);
    var confirm = document.getElementById("confirm-form");
    if (confirm) { confirm.dataset.large = "0"; track(confirm, { upload: texts.upload, check: form.dataset.importing || "Importing…", error: texts.error }); }
  });
})();
