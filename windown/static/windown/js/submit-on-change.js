// Submit a select's form when its value changes (replaces inline onchange handlers, which the
// Content-Security-Policy forbids). Mark the select with data-submit-on-change.
document.addEventListener("change", (event) => {
  if (event.target.matches("select[data-submit-on-change]")) event.target.form.submit();
});
