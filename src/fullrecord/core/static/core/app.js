// Small behaviours; no inline scripts anywhere (the CSP forbids them).
document.addEventListener("change", (event) => {
  const el = event.target;
  if (el.matches("[data-autosubmit]")) el.form.submit();
});
document.addEventListener("submit", (event) => {
  // Only the dangerous button asks: a form with 批准 and 退回 side by side submits 批准 at once.
  const form = event.target;
  const button = event.submitter || form.querySelector("button:not([type=button])");
  if (button && button.matches(".danger") && !form.dataset.confirmed) {
    const message = document.documentElement.lang.startsWith("zh") ? "确定要执行此操作吗？" : "Are you sure?";
    if (!window.confirm(message)) event.preventDefault();
  }
});
// Filters left empty stay out of the query: the address bar (pushed by htmx) shows
// only what narrows the list, so it reads well when bookmarked or shared.
document.addEventListener("htmx:configRequest", (event) => {
  if (event.detail.verb !== "get" || !event.target.matches("form.filters")) return;
  const data = event.detail.formData;
  for (const [name, value] of [...data.entries()]) {
    // A filter select's first option means "any" (yes/no filters send "unknown" for it).
    const field = event.target.elements[name];
    const any = field instanceof HTMLSelectElement && !field.multiple && field.selectedIndex === 0;
    if (value === "" || any) data.delete(name);
  }
});
