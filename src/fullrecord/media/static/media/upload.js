// The evidence upload page: several files, drag and drop, a bar per file, resumable (tus).
// Configuration and every text shown come from data- attributes of #uploader (strict CSP:
// no inline script), so the page speaks the user's language without strings in here.
(() => {
  "use strict";
  const root = document.getElementById("uploader");
  if (!root || !window.tus || !window.tus.isSupported) return;
  const cfg = root.dataset;
  const input = root.querySelector("[data-file-input]");
  const zone = root.querySelector("[data-dropzone]");
  const list = root.querySelector("[data-upload-list]");
  const template = document.getElementById("upload-row");
  const active = new Set();
  const waitingForNetwork = new Set();
  // Files go one after another (data-parallel): over a field uplink parallel uploads
  // finish no sooner in total, and each file is safe sooner when they queue.
  const parallel = Math.max(1, Number(cfg.parallel) || 1);
  const queue = [];
  let running = 0;

  function pump() {
    while (running < parallel && queue.length) {
      running += 1;
      queue.shift()();
    }
  }

  function release() {
    running = Math.max(0, running - 1);
    pump();
  }
  // Retried by the client on its own: a lost connection, a restarting server, a full disk.
  const RETRY_DELAYS = [0, 1000, 3000, 5000, 10000, 20000, 30000, 60000];

  function field(name) {
    const el = root.querySelector(`[name="${name}"]`);
    return el ? el.value.trim() : "";
  }

  function metadataFor(file) {
    const metadata = { filename: file.name, filetype: file.type || "application/octet-stream" };
    if (cfg.case) metadata.case = cfg.case;
    for (const name of ["device_number", "task_reference"]) {
      const value = field(name);
      if (value) metadata[name] = value;
    }
    return metadata;
  }

  function serverMessage(error) {
    const response = error && error.originalResponse;
    const body = response ? (response.getBody() || "").trim() : "";
    return body && body.length < 500 ? body : "";
  }

  function shouldRetry(error) {
    const status = error.originalResponse ? error.originalResponse.getStatus() : 0;
    const clientError = status >= 400 && status < 500 && status !== 409 && status !== 423;
    return !clientError && navigator.onLine !== false;
  }

  function start(file) {
    const row = template.content.firstElementChild.cloneNode(true);
    const bar = row.querySelector("[data-bar]");
    const status = row.querySelector("[data-status]");
    const result = row.querySelector("[data-result]");
    const retry = row.querySelector("[data-retry]");
    const cancel = row.querySelector("[data-cancel]");
    row.querySelector("[data-name]").textContent = file.name;
    status.textContent = cfg.msgWaiting;
    list.append(row);

    let holdsSlot = false;
    const letGo = () => {
      if (holdsSlot) {
        holdsSlot = false;
        release();
      }
    };
    const finish = () => {
      active.delete(upload);
      waitingForNetwork.delete(upload);
      cancel.hidden = true;
      retry.hidden = true;
      letGo();
    };

    const upload = new window.tus.Upload(file, {
      endpoint: cfg.endpoint,
      chunkSize: Number(cfg.chunkSize) || Infinity,
      retryDelays: RETRY_DELAYS,
      metadata: metadataFor(file),
      headers: { "X-CSRFToken": cfg.csrf },
      removeFingerprintOnSuccess: true,
      onShouldRetry(error) {
        const again = shouldRetry(error);
        if (again) status.textContent = cfg.msgRetrying;
        return again;
      },
      onProgress(sent, total) {
        const percent = total ? Math.floor((sent / total) * 100) : 100;
        bar.value = percent;
        status.textContent = `${cfg.msgUploading} ${percent}%`;
      },
      onSuccess({ lastResponse }) {
        finish();
        bar.value = 100;
        row.classList.add("done");
        const duplicate = lastResponse.getHeader("X-Media-Duplicate") === "1";
        status.textContent = duplicate ? cfg.msgDuplicate : cfg.msgDone;
        const url = lastResponse.getHeader("X-Media-Url");
        if (url) {
          result.href = url;
          result.textContent = cfg.msgOpen;
          result.hidden = false;
        }
        row.dataset.mediaId = lastResponse.getHeader("X-Media-Id") || "";
      },
      onError(error) {
        if (navigator.onLine === false) {
          // A closed lid or a lost network: carry on when the browser is back online.
          waitingForNetwork.add(upload);
          status.textContent = cfg.msgOffline;
          return;
        }
        row.classList.add("failed");
        status.textContent = `${cfg.msgFailed} ${serverMessage(error) || error.message}`;
        retry.hidden = false;
        letGo();
      },
    });
    active.add(upload);

    let cancelled = false;
    const begin = () => {
      holdsSlot = true;
      if (cancelled) {
        letGo();
        return;
      }
      // The same file chosen again after the page was closed continues where it stopped.
      upload
        .findPreviousUploads()
        .then((previous) => {
          if (previous.length) {
            upload.resumeFromPreviousUpload(previous[0]);
            status.textContent = cfg.msgResuming;
          }
          upload.start();
        })
        .catch(() => upload.start());
    };
    retry.addEventListener("click", () => {
      retry.hidden = true;
      row.classList.remove("failed");
      status.textContent = cfg.msgResuming;
      queue.push(() => {
        holdsSlot = true;
        upload.start();
      });
      pump();
    });
    cancel.addEventListener("click", () => {
      cancelled = true;
      finish();
      upload.abort(true).catch(() => {});
      status.textContent = cfg.msgCancelled;
    });
    queue.push(begin);
    pump();
  }

  function startAll(files) {
    for (const file of files) start(file);
  }

  input.addEventListener("change", () => {
    startAll(Array.from(input.files));
    input.value = ""; // the same file may be chosen again later
  });
  zone.addEventListener("dragover", (event) => {
    event.preventDefault();
    zone.classList.add("dragover");
  });
  zone.addEventListener("dragleave", () => zone.classList.remove("dragover"));
  zone.addEventListener("drop", (event) => {
    event.preventDefault();
    zone.classList.remove("dragover");
    startAll(Array.from(event.dataTransfer.files));
  });
  // A file dropped beside the zone must not make the browser navigate away from the uploads.
  window.addEventListener("dragover", (event) => event.preventDefault());
  window.addEventListener("drop", (event) => event.preventDefault());
  window.addEventListener("online", () => {
    for (const upload of waitingForNetwork) upload.start();
    waitingForNetwork.clear();
  });
  window.addEventListener("beforeunload", (event) => {
    if (active.size) event.preventDefault();
  });
})();
