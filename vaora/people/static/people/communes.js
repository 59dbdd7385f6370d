// Choosing a commune or ward by name on a phone: as the person types (accents optional), the
// field's list offers "Name, Province" from /api/v1/places/search; picking one fills the field
// with text the server resolves without doubt. Without this script the same text still works.
(function () {
  "use strict";
  function attach(input, index) {
    var list = document.createElement("datalist");
    list.id = "commune-suggestions-" + index;
    input.parentNode.insertBefore(list, input.nextSibling);
    input.setAttribute("list", list.id);
    var timer = null, asked = "";
    input.addEventListener("input", function () {
      clearTimeout(timer);
      var text = input.value.trim();
      if (text.length < 2 || text === asked) return;
      timer = setTimeout(function () {
        asked = text;
        fetch("/api/v1/places/search?q=" + encodeURIComponent(text), { credentials: "omit" })
          .then(function (r) { return r.ok ? r.json() : []; })
          .then(function (found) {
            list.textContent = "";
            found.forEach(function (c) {
              var option = document.createElement("option");
              option.value = c.label;
              list.appendChild(option);
            });
          })
          .catch(function () {});
      }, 200);
    });
  }
  document.querySelectorAll("input[data-commune-search]").forEach(attach);
})();
