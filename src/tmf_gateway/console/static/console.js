// tmf-gateway ops console: the only script, shipped in the package; pages work without it.
document.addEventListener("submit", (event) => {
  const form = event.target;
  const question = form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) event.preventDefault();
  const button = form.querySelector("button[type=submit]");
  if (button && !event.defaultPrevented) button.setAttribute("aria-busy", "true");
});
