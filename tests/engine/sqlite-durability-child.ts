/**
 * Child process for the durability test in sqlite.test.ts: upserts one
 * document, says "acked" once upsert() has resolved, then waits to be killed
 * with SIGKILL. Whatever was acknowledged must be there after the kill.
 */
import { SqliteEngine } from '../../engine/sqlite/sqlite-engine.js';
import { fixtures } from './fixtures.js';

const dataDir = process.argv[2];
if (dataDir === undefined) throw new Error('usage: sqlite-durability-child.ts <dataDir>');
const engine = new SqliteEngine({ dataDir });
await engine.init();
await engine.upsert([fixtures.mengyin]);
process.stdout.write('acked\n');
// Keep writing until killed, so the kill lands mid-transaction as well.
let n = 0;
setInterval(() => {
  n += 1;
  void engine.upsert([{ ...fixtures.weifang, id: `filler-${n}` }]);
}, 1);
