// Starts fauxqs bound to 127.0.0.1 on a free port and prints "fauxqs listening on <port>" when it
// is ready; stops when stdin closes (the JVM that started it went away). Used by
// dev.baton.testing.FauxqsServer.
import { startFauxqs } from "fauxqs";

const server = await startFauxqs({ host: "127.0.0.1", port: 0, logger: false });
process.stdout.write(`fauxqs listening on ${server.port}\n`);
process.stdin.resume();
process.stdin.on("end", async () => {
  await server.stop();
  process.exit(0);
});
