// fencerun: pyodide editors (markdown-exec's markup), on the pages that have one. Each editor's
// own script calls setupPyodide with markdown-exec's arguments once the page has loaded; Ace,
// highlight.js and Pyodide come from the tags the editors bring with them.
"use strict";

(() => {
  let pyodideReady = null; // one Pyodide for the page, started by the first editor
  const sessions = new Map(); // session name -> the globals its editors share

  function startPyodide() {
    if (pyodideReady === null) {
      pyodideReady = loadPyodide().then(async (pyodide) => {
        await pyodide.loadPackage("micropip");
        return pyodide;
      });
    }
    return pyodideReady;
  }

  function sessionGlobals(pyodide, name) {
    if (!sessions.has(name)) {
      sessions.set(name, pyodide.globals.get("dict")());
    }
    return sessions.get(name);
  }

  function write(output, text) {
    output.textContent += text + "\n";
  }

  function clear(output) {
    output.textContent = "";
    delete output.dataset.highlighted; // highlight.js skips what it marked as done
  }

  // Material sets the colour scheme on <body>: "slate" is its dark one.
  function followScheme(editor, themeLight, themeDark) {
    const dark = document.body.getAttribute("data-md-color-scheme") === "slate";
    editor.setTheme("ace/theme/" + (dark ? themeDark : themeLight));
    for (const link of document.querySelectorAll('link[title="light"], link[title="dark"]')) {
      if ((link.title === "dark") === dark) {
        link.removeAttribute("disabled");
      } else {
        link.setAttribute("disabled", "disabled");
      }
    }
  }

  async function run(pyodide, editor, output, session) {
    clear(output);
    const show = { batched: (text) => write(output, text) };
    pyodide.setStdout(show);
    pyodide.setStderr(show);
    try {
      const result = await pyodide.runPythonAsync(editor.getValue(), {
        globals: sessionGlobals(pyodide, session),
      });
      if (result !== undefined) {
        write(output, String(result));
      }
    } catch (error) {
      write(output, String(error));
    }
    if (window.hljs) {
      window.hljs.highlightElement(output);
    }
  }

  async function setupPyodide(
    idPrefix,
    install = [],
    themeLight = "tomorrow",
    themeDark = "tomorrow_night",
    session = "default",
    minLines = 5,
    maxLines = 30,
  ) {
    const editor = ace.edit(idPrefix + "editor");
    const runButton = document.getElementById(idPrefix + "run");
    const clearButton = document.getElementById(idPrefix + "clear");
    const output = document.getElementById(idPrefix + "output");

    editor.session.setMode("ace/mode/python");
    editor.setOptions({ minLines: minLines, maxLines: maxLines });
    editor.resize();
    followScheme(editor, themeLight, themeDark);
    new MutationObserver(() => followScheme(editor, themeLight, themeDark)).observe(
      document.body,
      { attributes: true, attributeFilter: ["data-md-color-scheme"] },
    );

    write(output, "Initializing...");
    let pyodide;
    try {
      pyodide = await startPyodide();
    } catch (error) {
      clear(output);
      write(output, "Pyodide could not be loaded: " + String(error));
      return;
    }
    clear(output);
    if (install && install.length) {
      try {
        const micropip = pyodide.pyimport("micropip");
        for (const name of install) {
          await micropip.install(name);
        }
      } catch (error) {
        write(output, "Could not install one or more packages: " + install.join(", "));
        write(output, String(error));
      }
    }

    runButton.addEventListener("click", () => run(pyodide, editor, output, session));
    clearButton.addEventListener("click", () => clear(output));
    output.closest(".pyodide").addEventListener("keydown", (event) => {
      if (event.ctrlKey && event.key === "Enter") {
        event.preventDefault();
        run(pyodide, editor, output, session);
      }
    });
  }

  window.setupPyodide = setupPyodide;
})();
