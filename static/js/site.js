// Progressive enhancement only: every page works without this file.
"use strict";

// CAPTCHA refresh without reloading the page. Without JS the link reloads the form.
document.addEventListener("click", async (event) => {
  const link = event.target.closest("[data-captcha-refresh]");
  if (!link) return;
  event.preventDefault();
  const box = link.closest(".field");
  try {
    const response = await fetch(link.dataset.captchaRefresh, {
      headers: { "X-Requested-With": "XMLHttpRequest" },
      credentials: "same-origin",
    });
    if (!response.ok) throw new Error(response.statusText);
    const data = await response.json();
    box.querySelector("[data-captcha-image]").src = data.image_url;
    box.querySelector("input[type=hidden]").value = data.key;
    const answer = box.querySelector("input[type=text]");
    answer.value = "";
    answer.focus();
  } catch {
    window.location.reload();
  }
});

// Print buttons exist only where printing makes sense and only with JS.
for (const button of document.querySelectorAll("[data-print]")) {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
}
