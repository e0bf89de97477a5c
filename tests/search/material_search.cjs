#!/usr/bin/env node
// Usage: node material_search.cjs WORKER.js SEARCH_INDEX.json < queries.json
//
// Runs a built site's search web worker (Material's own, or a wrapper that
// loads it) in a plain Node context that behaves like a worker's global scope,
// feeds it the site's search index the way Material's page script does, sends
// each query as a reader's typed text, and prints what the worker answers:
// for every query, the pages of the result list, best first.
//
// stdin: a JSON array of query strings. stdout: a JSON array, one entry per
// query: {"query": ..., "pages": [location without #anchor, ...]}.
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const vm = require("node:vm");

// Material's message types (integrations/search/worker/message).
const SETUP = 0;
const READY = 1;
const QUERY = 2;
const RESULT = 3;

function loadWorker(workerPath) {
  const listeners = [];
  const outbox = [];
  const scriptDirs = [];
  const context = vm.createContext({ console });
  context.self = context;
  context.addEventListener = (type, listener) => {
    if (type === "message") listeners.push(listener);
  };
  context.postMessage = (message) => outbox.push(message);
  // Like a worker's importScripts: synchronous, relative to the running script.
  context.importScripts = (...urls) => {
    for (const url of urls) runScript(path.resolve(scriptDirs[scriptDirs.length - 1], url));
  };
  function runScript(file) {
    scriptDirs.push(path.dirname(file));
    try {
      vm.runInContext(fs.readFileSync(file, "utf8"), context, { filename: file });
    } finally {
      scriptDirs.pop();
    }
  }
  runScript(path.resolve(workerPath));

  // Delivers one message to every listener in the order they were added, as
  // a worker does, and returns what the worker posted back.
  async function send(message) {
    const event = { data: message };
    for (const listener of listeners) await listener(event);
    return outbox.splice(0);
  }
  return send;
}

function only(replies, type, what) {
  const matching = replies.filter((reply) => reply.type === type);
  if (matching.length !== 1) {
    throw new Error(`expected one ${what} reply from the worker, got ${JSON.stringify(replies)}`);
  }
  return matching[0];
}

async function main(argv) {
  if (argv.length !== 2) {
    console.error("usage: material_search.cjs WORKER.js SEARCH_INDEX.json < queries.json");
    return 2;
  }
  const [workerPath, indexPath] = argv;
  const index = JSON.parse(fs.readFileSync(indexPath, "utf8"));
  const queries = JSON.parse(fs.readFileSync(0, "utf8"));
  const send = loadWorker(workerPath);

  only(await send({
    type: SETUP,
    data: { config: index.config, docs: index.docs, options: { suggest: false } },
  }), READY, "READY");

  const answers = [];
  for (const query of queries) {
    const result = only(await send({ type: QUERY, data: query }), RESULT, "RESULT");
    // Each group is one page: its article first or among its sections.
    const pages = result.data.items.map((group) => group[0].location.split("#")[0]);
    answers.push({ query, pages });
  }
  process.stdout.write(JSON.stringify(answers));
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    console.error(error && error.stack ? error.stack : String(error));
    process.exit(1);
  },
);
