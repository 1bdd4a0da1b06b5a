// Starts s3rver on 127.0.0.1:<port> with its data in <dir> and the bucket "nanodb"; prints READY when it serves.
import S3rver from 's3rver';

const [port, dir] = process.argv.slice(2);
const server = new S3rver({
  port: Number(port),
  address: '127.0.0.1',
  directory: dir,
  silent: true,
  configureBuckets: [{ name: 'nanodb' }],
});
await server.run();
console.log('READY');
process.stdin.resume();
process.stdin.on('end', () => server.close().then(() => process.exit(0)));
