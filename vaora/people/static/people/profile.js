// Picking a province reloads the commune list at once; without JavaScript a button does it.
document.addEventListener("DOMContentLoaded", function () {
  var province = document.querySelector('select[name="province"]');
  if (!province) return;
  document.querySelectorAll(".js-hide").forEach(function (el) { el.hidden = true; });
  province.addEventListener("change", function () {
    var pick = document.createElement("input");
    pick.type = "hidden"; pick.name = "pick"; pick.value = "1";
    province.form.appendChild(pick);
    province.form.submit();
  });
});
