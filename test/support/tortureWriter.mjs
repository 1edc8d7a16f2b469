// A log writer for the torture test, run as a child process with IPC. It holds its own descriptor on
// <dir>/app.log and appends numbered lines ("n=<seq> ...") at a steady rate. On command it rotates:
// - rename: app.log → app.log.<k>, a few more lines through the old descriptor (a writer that has
//   not reopened yet), then it reopens app.log; with `delete`, the rotated file is removed at once;
// - copytruncate: copies app.log to app.log.<k> and truncates app.log (writing pauses meanwhile,
//   as logrotate's copytruncate loses lines written between the copy and the truncation).
// It answers every command with { done: op } and, on `stop`, with { total } lines written.
import { closeSync, copyFileSync, openSync, renameSync, truncateSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';

const [dir, ratePerSecond = '2000'] = process.argv.slice(2);
const file = join(dir, 'app.log');
let fd = openSync(file, 'a');
let seq = 0;
let rotation = 0;
const padding = 'x'.repeat(60);
const perTick = Math.max(1, Math.round(Number(ratePerSecond) / 100));

function write(count) {
  let text = '';
  for (let i = 0; i < count; i += 1) text += `n=${seq++} ${padding}\n`;
  writeSync(fd, text);
}

const timer = setInterval(() => write(perTick), 10);

process.on('message', (command) => {
  if (command.op === 'rename') {
    rotation += 1;
    const rotated = `${file}.${rotation}`;
    renameSync(file, rotated);
    write(3); // still through the old descriptor
    closeSync(fd);
    fd = openSync(file, 'a');
    if (command.delete) unlinkSync(rotated);
  } else if (command.op === 'copytruncate') {
    rotation += 1;
    copyFileSync(file, `${file}.${rotation}`);
    truncateSync(file, 0);
  } else if (command.op === 'stop') {
    clearInterval(timer);
    closeSync(fd);
    process.send({ total: seq }, () => process.exit(0));
    return;
  }
  process.send({ done: command.op, seq });
});
