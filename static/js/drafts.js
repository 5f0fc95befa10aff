// Autosave of topic and reply drafts. Every 30 seconds, if the text changed since the last save,
// the form's fields (with its CSRF token) are sent to the form's data-draft-url, which answers JSON.
// Without JavaScript the form's "Save draft" button does the same by hand.
(function () {
  "use strict";

  var INTERVAL_MS = 30000;

  function text(form) {
    var data = new FormData(form);
    return (data.get("title") || "") + "\u0000" + (data.get("body") || "");
  }

  function clock() {
    var now = new Date();
    return String(now.getHours()).padStart(2, "0") + ":" + String(now.getMinutes()).padStart(2, "0");
  }

  function autosave(form) {
    var status = form.querySelector("[data-draft-status]");
    var token = form.querySelector("input[name=csrf_token]");
    var saved = text(form);
    var busy = false;
    var stopped = false;

    function say(message) {
      if (status) {
        status.textContent = message;
      }
    }

    function save() {
      var current = text(form);
      if (stopped || busy || current === saved) {
        return;
      }
      busy = true;
      fetch(form.getAttribute("data-draft-url"), {
        method: "POST",
        body: new FormData(form),
        credentials: "same-origin",
        headers: { "Accept": "application/json", "X-CSRFToken": token ? token.value : "" }
      })
        .then(function (response) {
          if (!response.ok) {
            throw new Error("status " + response.status);
          }
          return response.json();
        })
        .then(function (result) {
          saved = current;
          say(result.saved ? "Draft saved at " + clock() + "." : "The form is empty: no draft is kept.");
        })
        .catch(function () {
          say("Your draft could not be saved just now; we will try again. “Save draft” also keeps it.");
        })
        .finally(function () {
          busy = false;
        });
    }

    form.addEventListener("submit", function () {
      stopped = true;
    });
    window.setInterval(save, INTERVAL_MS);
  }

  document.querySelectorAll("form[data-draft-url]").forEach(autosave);
})();
