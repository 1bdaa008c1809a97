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
  // A few files at once (data-parallel, 2): a small photo is not held behind a long
  // video, and more than three would only share the same field uplink.
  const parallel = Math.min(3, Math.max(1, Number(cfg.parallel) || 1));
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

  // Sizes once, in the unit that reads best; durations as "2 分 05 秒" from data- words.
  function size(bytes) {
    const units = ["B", "KB", "MB", "GB", "TB"];
    let value = bytes;
    let unit = 0;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit += 1;
    }
    return `${value >= 10 || unit === 0 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
  }

  function duration(seconds) {
    const s = Math.max(0, Math.round(seconds));
    const h = Math.floor(s / 3600);
    const m = Math.floor((s % 3600) / 60);
    if (h) return `${h} ${cfg.unitHour} ${m} ${cfg.unitMinute}`;
    if (m) return `${m} ${cfg.unitMinute} ${String(s % 60).padStart(2, "0")} ${cfg.unitSecond}`;
    return `${s} ${cfg.unitSecond}`;
  }

  // The queue outlives the page: files waiting or under way are kept in IndexedDB until
  // received or cancelled, and offered again when the officer comes back to this page.
  const store = (() => {
    if (!window.indexedDB) return null;
    let opened = null;
    const db = () => {
      opened =
        opened ||
        new Promise((resolve, reject) => {
          const request = indexedDB.open("fullrecord-uploads", 1);
          request.onupgradeneeded = () => request.result.createObjectStore("queue", { keyPath: "key" });
          request.onsuccess = () => resolve(request.result);
          request.onerror = () => reject(request.error);
        });
      return opened;
    };
    const run = (mode, work) =>
      db().then(
        (database) =>
          new Promise((resolve, reject) => {
            const tx = database.transaction("queue", mode);
            const result = work(tx.objectStore("queue"));
            tx.oncomplete = () => resolve(result && result.result);
            tx.onerror = () => reject(tx.error);
          }),
      );
    return {
      put: (entry) => run("readwrite", (s) => s.put(entry)).catch(() => {}),
      remove: (key) => run("readwrite", (s) => s.delete(key)).catch(() => {}),
      all: () => run("readonly", (s) => s.getAll()).catch(() => []),
    };
  })();

  function keyOf(file, metadata) {
    return [cfg.user, metadata.case || "", file.name, file.size, file.lastModified].join("|");
  }

  const onThisPage = new Set(); // keys of the files listed here, so none is listed twice

  function start(file, restored) {
    const metadata = restored ? restored.metadata : metadataFor(file);
    const key = keyOf(file, metadata);
    if (onThisPage.has(key)) return;
    onThisPage.add(key);
    const row = template.content.firstElementChild.cloneNode(true);
    const bar = row.querySelector("[data-bar]");
    const status = row.querySelector("[data-status]");
    const result = row.querySelector("[data-result]");
    const retry = row.querySelector("[data-retry]");
    const cancel = row.querySelector("[data-cancel]");
    const meta = row.querySelector("[data-meta]");
    row.querySelector("[data-name]").textContent = file.name;
    status.textContent = restored ? cfg.msgRestored : cfg.msgWaiting;
    meta.textContent = size(file.size);
    list.append(row);
    if (store && !restored) store.put({ key, file, metadata, queuedAt: Date.now() });
    // Speed over the last stretch (not since the start: a resumed file would look fast).
    let mark = null;

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
    const forget = () => {
      onThisPage.delete(key);
      if (store) store.remove(key);
    };

    const upload = new window.tus.Upload(file, {
      endpoint: cfg.endpoint,
      chunkSize: Number(cfg.chunkSize) || Infinity,
      retryDelays: RETRY_DELAYS,
      metadata,
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
        const now = performance.now();
        if (!mark || sent < mark.sent) mark = { sent, at: now, speed: 0 };
        const seconds = (now - mark.at) / 1000;
        if (seconds >= 1) {
          const speed = (sent - mark.sent) / seconds;
          mark = { sent, at: now, speed: mark.speed ? (mark.speed + speed) / 2 : speed };
        }
        const parts = [size(total)];
        if (mark.speed > 0) {
          parts.push(`${size(mark.speed)}/s`);
          parts.push(`${cfg.msgLeft} ${duration((total - sent) / mark.speed)}`);
        }
        meta.textContent = parts.join(" · ");
      },
      onSuccess({ lastResponse }) {
        finish();
        forget();
        meta.textContent = size(file.size);
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
      forget();
      upload.abort(true).catch(() => {});
      status.textContent = cfg.msgCancelled;
    });
    queue.push(begin);
    pump();
  }

  function startAll(files) {
    for (const file of files) start(file);
  }

  // Back on the page: what was left in the queue (this user's) goes on where it stopped.
  if (store) {
    store.all().then((entries) => {
      for (const entry of entries || []) {
        if (!entry.key.startsWith(`${cfg.user}|`) || !entry.file) continue;
        start(entry.file, entry);
      }
    });
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
