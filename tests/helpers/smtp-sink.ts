// A local SMTP sink, run as its own process: accepts every message on 127.0.0.1 and prints
// each as one JSON line ({ from, to, data }) on stdout. Its port is the first line.
import { SMTPServer } from 'smtp-server';

const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  onData(stream, session, callback) {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => {
      process.stdout.write(
        JSON.stringify({
          from: session.envelope.mailFrom && session.envelope.mailFrom.address,
          to: session.envelope.rcptTo.map((r) => r.address),
          data: Buffer.concat(chunks).toString('utf8'),
        }) + '\n',
      );
      callback();
    });
  },
});
server.listen(0, '127.0.0.1', () => {
  const address = server.server.address() as { port: number };
  process.stdout.write(`${address.port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
