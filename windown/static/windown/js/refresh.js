// Refresh a fragment of the page while work runs in the background (a campaign sending, an
// import), replacing inline scripts, which the Content-Security-Policy forbids. A marker
// element names the fragment: <span hidden data-refresh-url="…" data-refresh-target="ID"
// data-refresh-ms="2000" data-refresh-until="pending running"></span>. The fetched HTML
// replaces the element ID; with data-refresh-until, the page reloads once the fragment's
// data-status is none of the listed statuses.
(function () {
  function start(marker) {
    const url = marker.dataset.refreshUrl;
    const target = marker.dataset.refreshTarget;
    const until = (marker.dataset.refreshUntil || "").split(" ").filter(Boolean);
    const timer = setInterval(async () => {
      const response = await fetch(url, {credentials: "same-origin"});
      if (!response.ok) return;
      document.getElementById(target).outerHTML = await response.text();
      if (until.length && !until.includes(document.getElementById(target).dataset.status)) {
        clearInterval(timer);
        location.reload();
      }
    }, Number(marker.dataset.refreshMs || 2000));
  }
  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("[data-refresh-url]").forEach(start);
  });
})();
