// The footage review's marks: "take the player's time" copies where the player stands
// into the form; a marked moment's time seeks the player there.
(() => {
  const player = document.querySelector("[data-testid=player]");
  const field = document.querySelector("[data-mark-form] input[name=at_seconds]");
  const take = document.querySelector("[data-mark-now]");
  if (take && player && field) {
    take.addEventListener("click", () => {
      field.value = (player.currentTime || 0).toFixed(1);
    });
  }
  document.querySelectorAll("[data-seek]").forEach((button) => {
    button.addEventListener("click", () => {
      if (!player || !player.getAttribute("src")) return;
      player.currentTime = Number(button.dataset.seek);
    });
  });
})();
