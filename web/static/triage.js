// One-step triage without a reload: a form marked data-fetch is posted with fetch and the
// page says what was saved, with an undo. Without this script the same forms post and the
// server answers with a redirect back. Text from the server is set as text, never as HTML.
// Its words are the page's, in the reader's language: the JSON in #triage-words's
// data-words (macro triage_words, web/templates/macros.html); without it the forms post
// as they are.
(function () {
  "use strict";

  var block = document.getElementById("triage-words");
  if (!block) return;
  var words = JSON.parse(block.getAttribute("data-words"));

  function digits(text) {
    return String(text).replace(/[0-9]/g, function (d) {
      return words.digits.charAt(Number(d));
    });
  }

  function fill(template, values) {
    return template.replace(/%\(([a-z_]+)\)s/g, function (whole, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : whole;
    });
  }

  function csrf(form) {
    var field = form.querySelector("input[name=csrf_token]");
    return field ? field.value : "";
  }

  function statusFor(form) {
    var row = form.querySelector(".row-status");
    return row || document.getElementById("triage-status");
  }

  function say(target, text, kind) {
    if (!target) return;
    target.textContent = "";
    var p = document.createElement("p");
    p.className = kind || "saved";
    p.textContent = text;
    target.appendChild(p);
    return p;
  }

  function undoButton(form, step) {
    var undo = document.createElement("form");
    undo.method = "post";
    undo.action = form.action.replace(/\/triage$/, "/triage/undo");
    undo.className = "inline";
    undo.setAttribute("data-fetch", "");
    [["csrf_token", csrf(form)], ["step", String(step)]].forEach(function (pair) {
      var input = document.createElement("input");
      input.type = "hidden";
      input.name = pair[0];
      input.value = pair[1];
      undo.appendChild(input);
    });
    var button = document.createElement("button");
    button.type = "submit";
    button.className = "secondary";
    button.textContent = words.undo;
    undo.appendChild(button);
    return undo;
  }

  function describe(state) {
    var parts = [];
    if (state.acknowledged_by) parts.push(fill(words.acknowledged_by, { name: state.acknowledged_by }));
    if (state.task_team) parts.push(fill(words.team, { team: state.task_team }));
    if (state.assignee) parts.push(fill(words.assigned_to, { name: state.assignee }));
    var count = Object.keys(state.verdicts || {}).length;
    if (count) {
      var form = count === 1 ? words.verdicts.one : words.verdicts.other;
      parts.push(fill(form, { count: digits(count) }));
    }
    return parts.length ? fill(words.saved_what, { what: parts.join(" · ") }) : words.saved;
  }

  function submit(form) {
    var target = statusFor(form);
    var button = form.querySelector("button[type=submit]");
    if (button) button.disabled = true;
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    })
      .then(function (response) {
        return response.json().then(function (data) {
          return { ok: response.ok, data: data };
        });
      })
      .then(function (result) {
        if (button) button.disabled = false;
        if (!result.ok) {
          say(target, fill(words.not_saved, { reason: result.data.detail || words.error }), "error");
          return;
        }
        if (result.data.undone) {
          window.location.reload(); // the fields as they were before the step
          return;
        }
        var line = say(target, describe(result.data));
        if (line && result.data.step) line.appendChild(undoButton(form, result.data.step));
        form.querySelectorAll("select[data-saved]").forEach(function (select) {
          select.setAttribute("data-saved", select.value); // the menu keeps what was saved
        });
        var state = document.getElementById("triage-state");
        if (state && !form.classList.contains("row-triage")) state.textContent = describe(result.data);
      })
      .catch(function () {
        if (button) button.disabled = false;
        say(target, words.no_answer, "error");
      });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-fetch")) return;
    event.preventDefault();
    submit(form);
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || !(event.ctrlKey || event.metaKey)) return;
    var form = event.target && event.target.closest && event.target.closest("form[data-fetch]");
    if (!form) return;
    event.preventDefault();
    if (form.requestSubmit) form.requestSubmit();
    else submit(form);
  });
})();
