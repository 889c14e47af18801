// The override form: the archive-only date (retain until) is shown only while "archive" is
// chosen and emptied otherwise, so "delete" never carries an archive date (the server ignores
// one too); a deletion date left from the archive proposal becomes the deletion deadline.
// A static file: the Content-Security-Policy forbids inline scripts.
function showArchiveDates(select) {
  const archive = select.value === select.dataset.archiveChoice;
  for (const input of select.form.querySelectorAll("[data-archive-only]")) {
    (input.closest("div") || input).hidden = !archive;
    if (!archive) input.value = "";
  }
  for (const input of select.form.querySelectorAll("[data-delete-default]")) {
    const { archiveDefault, deleteDefault } = input.dataset;
    if (!archive && archiveDefault && input.value === archiveDefault) input.value = deleteDefault;
    if (archive && archiveDefault && input.value === deleteDefault) input.value = archiveDefault;
  }
}

document.addEventListener("change", (event) => {
  if (event.target.matches("select[data-archive-choice]")) showArchiveDates(event.target);
});
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("select[data-archive-choice]").forEach(showArchiveDates);
});
