// A hello-world server in its own process (the machine's ceiling): `tsx bench/helloServer.ts node|express`.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { bareHello, expressHello } from "./load.js";

const kind = process.argv[2] === "express" ? "express" : "node";
const server = createServer(kind === "express" ? expressHello() : bareHello);
server.listen(0, "127.0.0.1", () => {
  process.stdout.write(`${(server.address() as AddressInfo).port}\n`);
});
process.on("SIGTERM", () => process.exit(0));
