// Small behaviours; no inline scripts anywhere (the CSP forbids them).
document.addEventListener("change", (event) => {
  const el = event.target;
  if (el.matches("[data-autosubmit]")) el.form.submit();
});
document.addEventListener("submit", (event) => {
  const form = event.target;
  const button = form.querySelector("button.danger");
  if (button && !form.dataset.confirmed) {
    const message = document.documentElement.lang.startsWith("zh") ? "确定要执行此操作吗？" : "Are you sure?";
    if (!window.confirm(message)) event.preventDefault();
  }
});
