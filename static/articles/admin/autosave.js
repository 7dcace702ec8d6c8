// Autosave for the story form: every change is kept on this device at once, and
// sent to the server as this person's working copy once typing pauses.
//
// The device copy (localStorage, per user and story) is removed only when the
// server has confirmed the same text, so a dropped network, a closed tab or an
// expired session never loses it. Opening the form with an unsaved copy that
// differs from what the form shows offers to restore or discard it, with a
// field-by-field diff. Restoring only fills the form: nothing is saved, let alone
// published, until the person presses Save.
//
// Settings come from <script id="autosave-settings" type="application/json">;
// nothing here runs inline, so it works under `script-src 'self'`.
"use strict";
(function () {
  const settingsNode = document.getElementById("autosave-settings");
  const form = document.getElementById("article_form");
  if (!settingsNode || !form) {
    return;
  }
  const config = JSON.parse(settingsNode.textContent);
  const status = document.getElementById("autosave-status");
  const offer = document.getElementById("autosave-offer");

  const QUIET_MS = 2000; // after the last keystroke
  const MAX_WAIT_MS = 10000; // at most this long between saves while typing on
  const RETRY_MS = 4000; // offline, signed out or refused: try again this often
  const FLUSH_MS = 3000; // how long Save waits for the last copy to reach the server

  // One copy per tab, so two tabs on one story never overwrite each other's text;
  // on opening, the copies of every tab (closed ones too) are looked at.
  const prefix = `newsroom-autosave:${config.user}:${config.story === null ? "new" : config.story}:`;
  const tab = tabName();
  const key = prefix + tab;
  const editors = new Map(); // prose-editor textarea → its Tiptap editor

  let latest = null; // the last change, also in memory: storage may be full or refused
  let timer = null;
  let retryTimer = null;
  let firstUnsentAt = 0;
  let inFlight = null;
  let flushed = false;
  let submitting = false;

  function tabName() {
    const made = Math.random().toString(36).slice(2);
    try {
      const name = sessionStorage.getItem("newsroom-autosave-tab") || made;
      sessionStorage.setItem("newsroom-autosave-tab", name);
      return name;
    } catch (error) {
      return made; // storage refused: this page is its own tab
    }
  }

  // --- Reading and writing the form ----------------------------------------------

  function skipped(name) {
    return (
      !name ||
      name === "csrfmiddlewaretoken" ||
      name === "base_version" ||
      name === "autosave_draft" ||
      name.includes("__prefix__") ||
      /-(TOTAL|INITIAL|MIN_NUM|MAX_NUM)_FORMS$/.test(name)
    );
  }

  function read() {
    const fields = {};
    const labels = {};
    for (const [name, value] of new FormData(form)) {
      if (skipped(name) || typeof value !== "string") {
        continue; // a file input gives a File: pictures go through the library
      }
      (fields[name] ||= []).push(value);
    }
    for (const select of form.querySelectorAll("select[name]")) {
      if (skipped(select.name)) {
        continue;
      }
      for (const option of select.selectedOptions) {
        (labels[select.name] ||= {})[option.value] = option.textContent.trim();
      }
    }
    return { fields, labels };
  }

  function isProse(textarea) {
    return Array.from(textarea.attributes).some((a) => a.name.startsWith("data-django-prose-editor"));
  }

  function setValue(element, values, index, labels) {
    if (element.type === "checkbox" || element.type === "radio") {
      element.checked = values.includes(element.value);
    } else if (element.tagName === "SELECT") {
      for (const value of values) {
        if (value && !Array.from(element.options).some((option) => option.value === value)) {
          // An autocomplete picker only holds the options chosen when the page was made.
          const text = (labels && labels[value]) || value;
          element.add(new Option(text, value));
        }
      }
      for (const option of element.options) {
        option.selected = values.includes(option.value);
      }
    } else if (element.type === "file" || element.type === "submit" || element.type === "button") {
      return;
    } else {
      const value = values[index] ?? "";
      element.value = value;
      const editor = editors.get(element);
      if (editor) {
        editor.commands.setContent(value, { emitUpdate: false });
      }
    }
    element.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function write(copy) {
    const seen = new Map();
    for (const element of form.elements) {
      const name = element.name;
      if (skipped(name) || !(name in copy.fields)) {
        continue;
      }
      const index = seen.get(name) || 0;
      seen.set(name, index + 1);
      setValue(element, copy.fields[name], index, (copy.labels || {})[name]);
    }
    if (copy.base_version !== null && copy.base_version !== undefined && form.elements.base_version) {
      // Saving text made from an older version must meet the stale-save check.
      form.elements.base_version.value = copy.base_version;
    }
  }

  // Two bodies are the same text if they read the same, tag for tag: the editor
  // writes HTML a little differently from the server's sanitiser.
  function canonical(html) {
    const doc = new DOMParser().parseFromString(`<body>${html}</body>`, "text/html");
    const parts = [];
    (function walk(node) {
      for (const child of node.childNodes) {
        if (child.nodeType === Node.TEXT_NODE) {
          parts.push(child.data.replace(/\s+/g, " "));
        } else if (child.nodeType === Node.ELEMENT_NODE) {
          parts.push(`<${child.tagName}${child.getAttribute("href") || ""}>`);
          walk(child);
          parts.push(`</${child.tagName}>`);
        }
      }
    })(doc.body);
    return parts.join("").replace(/<P><\/P>/g, "").trim();
  }

  const proseNames = new Set(
    Array.from(form.querySelectorAll("textarea")).filter(isProse).map((t) => t.name),
  );

  function sameValues(name, a, b) {
    a = a || [];
    b = b || [];
    if (proseNames.has(name)) {
      return canonical(a.join("")) === canonical(b.join(""));
    }
    return a.length === b.length && a.every((value, i) => value === b[i]);
  }

  function changedNames(a, b) {
    const names = new Set([...Object.keys(a), ...Object.keys(b)]);
    return Array.from(names).filter((name) => !skipped(name) && !sameValues(name, a[name], b[name]));
  }

  // --- The copy on this device ----------------------------------------------------

  function load(name) {
    try {
      return JSON.parse(localStorage.getItem(name));
    } catch (error) {
      return null;
    }
  }

  function store(name, copy) {
    try {
      localStorage.setItem(name, JSON.stringify(copy));
      return true;
    } catch (error) {
      return false; // storage full or refused: the server copy still goes out
    }
  }

  function forget(name) {
    try {
      localStorage.removeItem(name);
    } catch (error) {
      // nothing kept, nothing to forget
    }
  }

  function unsent() {
    const stored = load(key);
    const copy = stored && stored.changed_at >= ((latest && latest.changed_at) || 0) ? stored : latest;
    return copy && !copy.synced ? copy : null;
  }

  function baseVersion() {
    const input = form.elements.base_version;
    return input && input.value !== "" ? Number(input.value) : null;
  }

  // --- The status line ----------------------------------------------------------------

  function show(state, text, link) {
    status.hidden = false;
    status.dataset.state = state;
    status.replaceChildren(text);
    if (link) {
      const a = document.createElement("a");
      a.href = link.href;
      a.target = "_blank";
      a.rel = "noopener";
      a.textContent = link.text;
      status.append(" ", a);
    }
  }

  // --- Sending to the server ------------------------------------------------------------

  function csrfToken() {
    // Read at each request: signing in again in another tab rotates the token.
    const cookie = document.cookie.split("; ").find((c) => c.startsWith("csrftoken="));
    if (cookie) {
      return decodeURIComponent(cookie.slice("csrftoken=".length));
    }
    return form.elements.csrfmiddlewaretoken.value;
  }

  // A new story's copies are one per tab ("draft"), so two "Add story" tabs never
  // overwrite each other; a story's is one per person.
  function request(method, body, options, draft = tab) {
    const url = config.story === null ? `${config.url}?draft=${encodeURIComponent(draft)}` : config.url;
    return fetch(url, {
      method,
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
      body: body === undefined ? undefined : JSON.stringify(body),
      ...options,
    });
  }

  function retryLater() {
    clearTimeout(retryTimer);
    retryTimer = setTimeout(send, RETRY_MS);
  }

  async function post(copy) {
    let response;
    try {
      response = await request("POST", {
        fields: copy.fields,
        labels: copy.labels,
        base_version: copy.base_version,
      });
    } catch (error) {
      show("offline", "Offline — saved on this device. It goes to the server when you are back online.");
      retryLater();
      return false;
    }
    let answer = {};
    try {
      answer = await response.json();
    } catch (error) {
      // not JSON: a proxy's or the CSRF check's page
    }
    if (response.ok) {
      const now = load(key);
      if (latest && changedNames(latest.fields, copy.fields).length === 0) {
        latest.synced = answer.saved_at;
      }
      if (now && changedNames(now.fields, copy.fields).length === 0) {
        if (config.story === null) {
          forget(key); // the server's copy is this tab's alone
        } else {
          // Kept, marked with the server's copy it matches: another tab of the same
          // person may overwrite that copy, and then this one is offered again.
          store(key, { ...now, synced: answer.saved_at });
        }
      }
      show("saved", `Working copy saved at ${answer.saved_at_display}. Press Save to make it a revision.`);
      return true;
    }
    if (response.status === 401) {
      show("signed-out", "Signed out — sign in again in a new tab, your text is kept.", {
        href: config.login_url,
        text: "Sign in",
      });
    } else {
      const why = answer.message || `The server answered ${response.status}.`;
      show("refused", `Not saved to the server: ${why} Your text is kept on this device.`);
      if (answer.error) {
        return false; // a refusal with a reason: asking again changes nothing
      }
    }
    retryLater();
    return false;
  }

  function send() {
    clearTimeout(timer);
    clearTimeout(retryTimer);
    timer = null;
    const previous = inFlight || Promise.resolve();
    inFlight = previous.then(function () {
      const copy = unsent();
      if (!copy) {
        return true;
      }
      firstUnsentAt = 0;
      return post(copy);
    });
    const mine = inFlight;
    mine.finally(function () {
      if (inFlight === mine) {
        inFlight = null;
      }
    });
    return mine;
  }

  function schedule() {
    clearTimeout(timer);
    const now = Date.now();
    firstUnsentAt ||= now;
    timer = setTimeout(send, Math.max(0, Math.min(QUIET_MS, firstUnsentAt + MAX_WAIT_MS - now)));
  }

  function changed() {
    if (submitting) {
      return;
    }
    const { fields, labels } = read();
    latest = { fields, labels, base_version: baseVersion(), changed_at: Date.now() };
    const kept = store(key, latest);
    if (status.dataset.state !== "offline" && status.dataset.state !== "signed-out") {
      show("device", kept ? "Changes kept on this device…" : "Changes not yet saved…");
    }
    schedule();
  }

  // --- Offering an earlier copy ------------------------------------------------------

  function labelOf(name) {
    const element = form.elements[name];
    const first = element instanceof RadioNodeList ? element[0] : element;
    const label = first && first.id ? form.querySelector(`label[for="${CSS.escape(first.id)}"]`) : null;
    return label ? label.textContent.replace(/:\s*$/, "").trim() : name;
  }

  function readable(name, values, labels) {
    if (proseNames.has(name)) {
      const doc = new DOMParser().parseFromString(values.join(""), "text/html");
      for (const block of doc.body.querySelectorAll("p, li, h1, h2, h3, h4, blockquote, br")) {
        block.after(" ");
      }
      return doc.body.textContent.replace(/\s+/g, " ").trim();
    }
    return values.map((value) => (labels && labels[value]) || value).join(", ");
  }

  // Word by word: what only the copy has is <ins>, what only the form has is <del>.
  function wordDiff(before, after) {
    const a = before.split(/\s+/).filter(Boolean);
    const b = after.split(/\s+/).filter(Boolean);
    let start = 0;
    while (start < a.length && start < b.length && a[start] === b[start]) {
      start++;
    }
    let endA = a.length;
    let endB = b.length;
    while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
      endA--;
      endB--;
    }
    const parts = [];
    if (start > 0) {
      parts.push(["equal", (start > 12 ? "… " : "") + a.slice(Math.max(0, start - 12), start).join(" ")]);
    }
    if (endA > start) {
      parts.push(["delete", a.slice(start, endA).join(" ")]);
    }
    if (endB > start) {
      parts.push(["insert", b.slice(start, endB).join(" ")]);
    }
    if (endA < a.length) {
      const rest = a.slice(endA);
      parts.push(["equal", rest.slice(0, 12).join(" ") + (rest.length > 12 ? " …" : "")]);
    }
    return parts;
  }

  function diffOf(copy, current) {
    const list = document.createElement("div");
    for (const name of changedNames(current.fields, copy.fields)) {
      const block = document.createElement("div");
      block.className = "diff";
      const heading = document.createElement("h3");
      heading.textContent = labelOf(name);
      const text = document.createElement("p");
      const before = readable(name, current.fields[name] || [], current.labels[name]);
      const after = readable(name, copy.fields[name] || [], (copy.labels || {})[name]);
      for (const [kind, words] of wordDiff(before, after)) {
        const part = document.createElement(kind === "insert" ? "ins" : kind === "delete" ? "del" : "span");
        part.textContent = words;
        text.append(part, " ");
      }
      block.append(heading, text);
      list.append(block);
    }
    return list;
  }

  function offerCopy(copy, current) {
    const what = offer.querySelector(".autosave-offer__what");
    const where = copy.source === "server" ? `saved as your working copy at ${copy.when}` : "kept on this device";
    let text = `You have text in this form that was never saved: ${where}. Highlighted: only in that copy; struck out: only in the form as it is now.`;
    if (config.version !== null && copy.base_version !== null && copy.base_version !== config.version) {
      text += ` It was made from version ${copy.base_version}; the story has been saved since (version ${config.version}), so saving it will first show you what differs.`;
    }
    what.textContent = text;
    offer.querySelector(".autosave-offer__diff").replaceChildren(diffOf(copy, current));
    offer.hidden = false;
    // Kept aside under its own name, so typing before choosing never overwrites it.
    const aside = `${prefix}offered-${Date.now()}`;
    store(aside, { ...copy, source: "device", synced: undefined });
    if (copy.storageKey) {
      forget(copy.storageKey);
    }
    document.getElementById("autosave-restore").addEventListener("click", function () {
      write(copy);
      forget(aside);
      offer.hidden = true;
      changed();
      if (copy.source === "server" && config.story === null && copy.draft !== tab) {
        // Another (closed) tab's new story now lives on in this tab's copies.
        request("DELETE", undefined, {}, copy.draft).catch(function () {});
      }
      show("device", "Restored into the form: nothing is saved until you press Save.");
    });
    document.getElementById("autosave-discard").addEventListener("click", function () {
      forget(aside);
      offer.hidden = true;
      if (copy.source === "server" && !unsent()) {
        request("DELETE", undefined, {}, copy.draft).catch(function () {});
      }
      show("device", "Earlier copy discarded.");
    });
  }

  // Every unsaved copy of this story, newest first: this device's, then the server's.
  function candidates() {
    const found = [];
    try {
      for (let i = 0; i < localStorage.length; i++) {
        const name = localStorage.key(i);
        if (name && name.startsWith(prefix)) {
          const copy = load(name);
          if (copy && copy.fields) {
            found.push({ ...copy, source: "device", storageKey: name });
          }
        }
      }
    } catch (error) {
      // storage refused: only the server's copies
    }
    found.sort((a, b) => (b.changed_at || 0) - (a.changed_at || 0));
    const onServer = new Set(config.copies.map((copy) => copy.saved_at));
    const held = found.filter((copy) => copy.synced && onServer.has(copy.synced));
    // A device copy the server still holds as it is: the server's copy stands for it.
    held.forEach((copy) => forget(copy.storageKey));
    return [
      ...found.filter((copy) => !held.includes(copy)),
      ...config.copies.map((copy) => ({ ...copy, source: "server", when: copy.saved_at_display })),
    ];
  }

  // --- Starting up --------------------------------------------------------------------

  document.addEventListener("prose-editor:ready", function (event) {
    editors.set(event.detail.textarea, event.detail.editor);
  });

  function editorsReady() {
    const textareas = Array.from(form.querySelectorAll("textarea")).filter(isProse);
    const found = () =>
      textareas.every(function (textarea) {
        const view = textarea.parentElement && textarea.parentElement.querySelector(".ProseMirror");
        if (view && view.editor) {
          editors.set(textarea, view.editor);
        }
        return editors.has(textarea);
      });
    return new Promise(function (resolve) {
      const started = Date.now();
      (function check() {
        if (found() || Date.now() - started > 5000) {
          resolve();
        } else {
          setTimeout(check, 50);
        }
      })();
    });
  }

  function refreshTokens() {
    const token = csrfToken();
    for (const input of document.querySelectorAll("input[name=csrfmiddlewaretoken]")) {
      input.value = token;
    }
  }

  // Typing can start before the editors are ready and the copies are looked at;
  // it is noted at once and kept when start() is done, so no early keystroke is
  // missed (a quick typist, or a slow machine, would otherwise lose the first save).
  let typedEarly = false;
  function early() {
    typedEarly = true;
  }
  const jQuery = window.django && window.django.jQuery;
  form.addEventListener("input", early);
  form.addEventListener("change", early);
  if (jQuery) {
    jQuery(form).on("select2:select.early select2:unselect.early", early);
  }

  const TYPED = new Set(["text", "search", "url", "email", "number", "date", "time", "datetime-local"]);
  // Text typed before this script ran at all (a slow connection): the field no
  // longer holds what the server rendered. Selects and checkboxes are left out:
  // a select with no option marked reads as changed though nobody touched it.
  function typedBeforeThisScript() {
    return Array.from(form.elements).some(
      (element) =>
        !skipped(element.name) &&
        (element.tagName === "TEXTAREA" ||
          (element.tagName === "INPUT" && TYPED.has(element.type))) &&
        element.value !== element.defaultValue,
    );
  }

  async function start() {
    await editorsReady();
    if (config.story === null) {
      const draft = document.createElement("input");
      draft.type = "hidden";
      draft.name = "autosave_draft";
      draft.value = tab;
      form.append(draft);
    }
    const current = read();
    let offered = false;
    for (const copy of candidates()) {
      if (changedNames(current.fields, copy.fields).length === 0) {
        // The form already shows it (it was saved, or the save was refused with it).
        if (copy.storageKey) {
          forget(copy.storageKey);
        } else {
          request("DELETE", undefined, {}, copy.draft).catch(function () {});
        }
      } else if (!offered) {
        offered = true; // the newest; any others wait for the next opening
        offerCopy(copy, current);
      }
    }
    form.removeEventListener("input", early);
    form.removeEventListener("change", early);
    form.addEventListener("input", changed);
    form.addEventListener("change", changed);
    if (jQuery) {
      // Autocomplete pickers (select2) announce a choice through jQuery only.
      jQuery(form).off(".early").on("select2:select select2:unselect", changed);
    }
    if (typedEarly || typedBeforeThisScript()) {
      changed();
    }
    window.addEventListener("online", send);
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "visible" && unsent()) {
        send();
      }
    });
    window.addEventListener("pagehide", function () {
      const copy = unsent();
      if (copy && !submitting) {
        request(
          "POST",
          { fields: copy.fields, labels: copy.labels, base_version: copy.base_version },
          { keepalive: true },
        ).catch(function () {});
      }
    });
  }

  // Every form on the page posts with the current token (see csrfToken).
  document.addEventListener("submit", refreshTokens, true);

  // Save waits briefly for the last copy to reach the server, which discards it
  // with the save; if it cannot, the copy stays on this device.
  form.addEventListener("submit", function (event) {
    if (flushed || !unsent()) {
      submitting = true;
      return;
    }
    event.preventDefault();
    submitting = true;
    clearTimeout(timer);
    const submitter = event.submitter;
    const timeout = new Promise((resolve) => setTimeout(resolve, FLUSH_MS));
    Promise.race([send(), timeout]).finally(function () {
      clearTimeout(retryTimer);
      flushed = true;
      refreshTokens();
      form.requestSubmit(submitter && submitter.form === form ? submitter : undefined);
    });
  });

  start();
})();
