// The record page's player. Opening the page loads nothing of the footage (preload="none",
// no src): a playback starts when the person presses play. Then, and only then, the page
// asks the server for it (POST …/playback: recorded as one "play" entry) and gets a
// short-lived signed URL bound to this session, which becomes the element's src.
// For someone who sees the record through an access request the answer may be 202 while
// the copy watermarked with their name is made: the page says so and asks again.
(() => {
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

  function setUp(root) {
    const element = root.querySelector("[data-playback]");
    if (!element) return;
    const button = root.querySelector("[data-play]");
    const status = root.querySelector("[data-playback-status]");
    const cfg = root.dataset;
    let asking = null;

    const say = (text, error) => {
      if (!status) return;
      status.textContent = text;
      status.classList.toggle("error", Boolean(error));
    };

    async function ask() {
      for (let attempt = 0; attempt < 450; attempt += 1) {
        const response = await fetch(element.dataset.playback, {
          method: "POST",
          credentials: "same-origin",
          headers: { "X-CSRFToken": cfg.csrf, Accept: "application/json" },
        });
        const answer = await response.json().catch(() => ({}));
        if (response.status === 201) return answer.url;
        if (response.status !== 202) throw new Error(answer.detail || cfg.msgFailed);
        say(answer.detail || cfg.msgPreparing, false);
        await sleep(2000);
      }
      throw new Error(cfg.msgFailed);
    }

    async function start(resumeAt) {
      if (!asking) {
        if (button) button.disabled = true;
        asking = ask();
      }
      let url;
      try {
        url = await asking;
      } catch (error) {
        asking = null;
        if (button) button.disabled = false;
        say(error.message, true);
        return;
      }
      if (element.getAttribute("src") !== url) {
        element.src = url;
        if (resumeAt) element.currentTime = resumeAt;
      }
      if (button) button.hidden = true;
      say(cfg.msgPlaying || "", false);
      element.dataset.ready = "1";
      if (element.play) element.play().catch(() => {});
    }

    if (element.tagName === "IMG") {
      start(0); // a photo is shown as a watermarked image straight away
      return;
    }
    if (button) button.addEventListener("click", () => start(0));
    // The element's own play control, before any source was set.
    element.addEventListener("play", () => {
      if (!element.getAttribute("src")) start(0);
    });
    // The signed URL ended (or the session did): one new playback, from where it stopped.
    let retried = false;
    element.addEventListener("playing", () => {
      retried = false;
    });
    element.addEventListener("error", () => {
      if (!element.getAttribute("src")) return;
      if (retried) {
        say(cfg.msgFailed, true);
        return;
      }
      retried = true;
      const at = element.currentTime;
      asking = null;
      element.removeAttribute("src");
      start(at);
    });
  }

  document.querySelectorAll("[data-player]").forEach(setUp);
})();
