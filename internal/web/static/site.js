// newsdesk: small progressive enhancements. The site works without this
// file; it only shows dates in the reader's time zone and makes the
// "Copy link" share link copy instead of navigate.
(function () {
  "use strict";
  var fmt;
  try {
    fmt = new Intl.DateTimeFormat(undefined, { dateStyle: "long", timeStyle: "short" });
  } catch (e) {
    fmt = null;
  }
  if (fmt) {
    var times = document.querySelectorAll("time[data-local]");
    for (var i = 0; i < times.length; i++) {
      var d = new Date(times[i].getAttribute("datetime"));
      if (!isNaN(d.getTime())) {
        times[i].title = times[i].textContent;
        times[i].textContent = fmt.format(d);
      }
    }
  }
  var copy = document.querySelector("a[data-copy]");
  if (copy && navigator.clipboard && window.isSecureContext) {
    var status = document.querySelector(".copy-status");
    copy.addEventListener("click", function (ev) {
      ev.preventDefault();
      navigator.clipboard.writeText(copy.href).then(function () {
        if (status) { status.textContent = "Link copied."; }
      }, function () {
        if (status) { status.textContent = "Could not copy; the link is: " + copy.href; }
      });
    });
  }
})();
