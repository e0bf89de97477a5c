#!/usr/bin/env node
// Usage: node material_search.cjs WORKER.js SEARCH_INDEX.json < queries.json
//
// Runs a built site's search web worker (Material's own, or a wrapper that
// loads it) in a plain Node context that behaves like a worker's global scope,
// feeds it the site's search index the way Material's page script does, sends
// each query as a reader's typed text, and prints what the worker answers:
// for every query, the pages of the result list, best first.
//
// stdin: a JSON array of queries: strings, or lists of strings typed in a row.
// stdout: a JSON array, one entry per
// query: {"query": ..., "pages": [location without #anchor, ...], "terms":
// [the query terms Material reports for the best result], "fetched": [each
// file the worker fetched for the query, the first query also those of
// setting up: {"path": ..., "gzip": bytes gzipped as a static host sends it}],
// "items": the result as the worker sent it last, "screens": the number of
// pages in each of its answers}.
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const url = require("node:url");
const vm = require("node:vm");
const zlib = require("node:zlib");

// Material's message types (integrations/search/worker/message).
const SETUP = 0;
const READY = 1;
const QUERY = 2;
const RESULT = 3;

function loadWorker(workerPath, fetched) {
  const listeners = [];
  const outbox = [];
  const scriptDirs = [];
  const context = vm.createContext({ console, URL, Map, Set });
  context.self = context;
  context.location = { href: url.pathToFileURL(path.resolve(workerPath)).href };
  // Like a worker's fetch, of the site's files on disk; each is counted.
  context.fetch = async (address) => {
    const file = url.fileURLToPath(new URL(address));
    if (!fs.existsSync(file)) return { ok: false, status: 404 };
    const body = fs.readFileSync(file);
    fetched.push({ path: file, gzip: zlib.gzipSync(body).length });
    return { ok: true, status: 200, json: async () => JSON.parse(body.toString("utf8")) };
  };
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

// The worker may answer a query more than once, the list growing: the last
// answer is the whole list.
function last(replies, type, what) {
  const matching = replies.filter((reply) => reply.type === type);
  if (!matching.length) {
    throw new Error(`expected a ${what} reply from the worker, got ${JSON.stringify(replies)}`);
  }
  return matching[matching.length - 1];
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
  const fetched = [];
  const send = loadWorker(workerPath, fetched);

  only(await send({
    type: SETUP,
    data: { config: index.config, docs: index.docs, options: { suggest: false } },
  }), READY, "READY");

  const answers = [];
  for (const query of queries) {
    // A list of queries is typed in a row, each sent before the worker answers
    // the one before, as keystrokes are: the last one's answer is reported.
    const typed = Array.isArray(query) ? query : [query];
    const replies = (await Promise.all(typed.map((text) => send({ type: QUERY, data: text })))).flat();
    const result = last(replies, RESULT, "RESULT");
    const screens = replies.filter((reply) => reply.type === RESULT)
      .map((reply) => reply.data.items.length);
    // Each group is one page: its article first or among its sections.
    const pages = result.data.items.map((group) => group[0].location.split("#")[0]);
    const best = result.data.items.length ? result.data.items[0][0].terms : {};
    answers.push({
      query: typed[typed.length - 1], pages, terms: Object.keys(best), fetched: fetched.splice(0), items: result.data.items,
      screens,
    });
  }
  process.stdout.write(JSON.stringify(answers));
  return 0;
}

// exitCode, not exit(): exit() would cut off output still on its way down a pipe.
main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (error) => {
    console.error(error && error.stack ? error.stack : String(error));
    process.exitCode = 1;
  },
);
