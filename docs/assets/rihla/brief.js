/* Rihla: the mission brief during the mission. The programme opens on today's visits:
   today is the device's date in the mission's time zone (a reader in Rabat opening a
   Brussels programme at 00:30 Brussels time is already on the next day there). On a
   day without visits it opens on the next day that has some. An address with #… is
   left alone: the reader asked for that place. */
(function () {
  "use strict";
  var table = document.querySelector("table.rihla-programme[data-rihla-time-zone]");
  if (!table) return;

  function isoDate(zone) {
    var parts = {};
    try {
      new Intl.DateTimeFormat("en", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit" })
        .formatToParts(new Date())
        .forEach(function (part) { parts[part.type] = part.value; });
    } catch (error) {
      return null; // an unknown zone: no "today" rather than a wrong one
    }
    return parts.year + "-" + parts.month + "-" + parts.day;
  }

  var today = isoDate(table.getAttribute("data-rihla-time-zone"));
  if (!today || today < table.getAttribute("data-rihla-start") || today > table.getAttribute("data-rihla-end")) return;
  var days = table.querySelectorAll("tbody[data-rihla-date]");
  var opened = null;
  for (var i = 0; i < days.length; i++) {
    if (days[i].getAttribute("data-rihla-date") >= today) { opened = days[i]; break; }
  }
  if (!opened) return;
  var date = opened.getAttribute("data-rihla-date");
  if (date === today) {
    opened.classList.add("rihla-programme__day--today");
    var heading = opened.querySelector(".rihla-programme__date th");
    if (heading) {
      var label = document.createElement("span");
      label.className = "rihla-programme__today";
      label.textContent = table.getAttribute("data-rihla-today");
      heading.append(" ", label);
    }
  }
  var link = document.querySelector('.rihla-programme-days a[data-rihla-day="' + date + '"]');
  if (link) link.setAttribute("aria-current", date === today ? "date" : "true");
  if (!location.hash) {
    var top = opened.querySelector("th");
    if (top) top.scrollIntoView({ block: "start" });
  }
})();
