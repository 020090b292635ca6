const { TestAdapter, ActivityHandler, ConversationState } = require('botbuilder');
const { loadConfig } = require('./dist/bot/config');
const { createLogger } = require('./dist/bot/logger');
const { Linli } = require('./dist/bot/Linli');
const { SqliteStorage } = require('./dist/adapters/storage/SqliteStorage');
const { conversationTtl } = require('./dist/adapters/storage/PingableStorage');
const MESSAGES = ['您好','请问物业费怎么交','电梯三天两头坏，住户意见很大','厨房水槽下面漏水了，麻烦来修','我昨天的报修有人接了吗','房子空置可以少交物业费吗','谢谢，没别的事了','最近经济困难，交不上物业费了','讲个笑话吧','楼道的窗户玻璃碎了','明天下午三点能来修吗','我姓张，5号楼2单元1502'];
async function drive(adapter, logic, convs, turns) {
  let n = 0;
  const t0 = process.hrtime.bigint();
  for (let c = 0; c < convs; c++) for (let t = 0; t < turns; t++) {
    const activity = { type: 'message', channelId: 'webchat', serviceUrl: 'http://127.0.0.1:1', conversation: { id: `c${c}-${Math.random()}` .slice(0,0) + `c${c}` }, from: { id: `o${c}` }, recipient: { id: 'bot' }, text: MESSAGES[(c + t) % MESSAGES.length], deliveryMode: 'expectReplies' };
    await adapter.processActivity(activity, logic); n++;
  }
  return Number(process.hrtime.bigint() - t0) / 1e6 / n;
}
(async () => {
  const mode = process.argv[2] ?? 'linli';
  if (mode === 'echo') {
    const state = new ConversationState(new SqliteStorage(':memory:', conversationTtl(600)));
    const count = state.createProperty('count');
    const bot = new ActivityHandler();
    bot.onMessage(async (ctx, next) => { const n = (await count.get(ctx, 0)) + 1; await count.set(ctx, n); await ctx.sendActivity(`echo ${n}`); await next(); });
    const adapter = new TestAdapter();
    const logic = async (ctx) => { await bot.run(ctx); await state.saveChanges(ctx); };
    await drive(adapter, logic, 200, 12);
    console.log('echo ms/turn', (await drive(adapter, logic, 400, 12)).toFixed(3));
    return;
  }
  const config = loadConfig({ LOG_LEVEL: process.argv[3] ?? 'silent', DATA_DIR: '/tmp/cost/' + Date.now() });
  const linli = await Linli.create(config, createLogger(config.LOG_LEVEL, require('fs').createWriteStream('/dev/null')), { storage: new SqliteStorage(':memory:', conversationTtl(600)) });
  const adapter = linli.attach(new TestAdapter());
  linli.warm();
  const logic = (ctx) => linli.bot.run(ctx);
  await drive(adapter, logic, 200, 12);
  if (process.argv.includes('--prof')) { const { Session } = require('inspector'); }
  console.log('linli ms/turn', (await drive(adapter, logic, 400, 12)).toFixed(3));
  await linli.close();
})();
