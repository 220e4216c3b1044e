// Parses both country tables in a worker thread and transfers the typed arrays to the thread that asked.
import { parentPort } from "node:worker_threads";
import { loadIpv4Table, loadIpv6Table } from "./tableFiles.js";

const timed = <T>(load: () => T) => {
  const started = performance.now();
  const table = load();
  return { table, loadMs: Math.round(performance.now() - started) };
};

const ipv4 = timed(loadIpv4Table);
const ipv6 = timed(loadIpv6Table);
const buffers = [
  ipv4.table.starts,
  ipv4.table.ends,
  ipv4.table.countries,
  ipv6.table.startHi,
  ipv6.table.startLo,
  ipv6.table.endHi,
  ipv6.table.endLo,
  ipv6.table.countries,
].map((array) => array.buffer as ArrayBuffer);
parentPort?.postMessage({ ipv4, ipv6 }, buffers);
