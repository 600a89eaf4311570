// Deterministic demo data for Pledge: a complaint export, its flow log (工单流转记录) and the
// units' appeals (申诉记录), shaped like what a Chinese telecom's ticketing system hands over
// each month.
//
// Why it is built this way:
// - Seeded PRNG (sfc32), no Math.random, no Date in the hot loop: the same seed must give
//   byte-identical files, so assessors can regenerate a sample and the benchmark is repeatable.
// - Rows are streamed in received_at order, day by day, with backpressure: the benchmark asks
//   for 10,000,000 complaints (~2 GB), which must never sit in memory.
// - Flow-log events happen later than their complaint's receipt, so they wait in a small
//   min-heap and are written once no later complaint can produce an earlier event.
// - Time is integer seconds of *local* time (Asia/Shanghai, UTC+8, no DST) since 1970-01-01
//   local. Working time is an integer "working position" (seconds of working time elapsed
//   since the table start), so "add N working hours" is a binary search, not a loop.
// - Each promise is drawn directly in its own clock (calendar, working hours, working days), so
//   the met/late shares are what we chose, not an accident of stacked delays.
import { chmodSync, createWriteStream, fchmodSync, mkdirSync, openSync, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { oneOf, parseScriptArgs } from './args.ts';

// chinese-days ships a UMD bundle; createRequire avoids ESM named-export detection issues.
const cn = createRequire(import.meta.url)('chinese-days') as {
  isWorkday(d: string): boolean;
  getDayDetail(d: string): { work: boolean; name: string; date: string };
};

export interface DemoOptions {
  outDir: string;
  seed?: number;
  complaints?: number;
  start?: string;
  end?: string;
  exportAt?: string;
  splitBy?: 'month' | 'none';
}
export interface DemoResult {
  complaintFiles: string[]; eventFiles: string[]; appealFiles: string[]; complaints: number; events: number; appeals: number; bytes: number;
  /** When the exports were made (local time): every file is the state of things at that instant. */
  exportedAt: string;
}

export const DEMO_DEFAULTS = {
  seed: 20251001,
  complaints: 20000,
  start: '2025-04-01',
  end: '2025-11-30',
  exportAt: null as string | null, // null: the day after `end`, 00:00:00
  splitBy: 'month' as 'month' | 'none',
  badMonth: '2025-08',            // satisfaction of complaints *received* this month is ~6 points lower
  weakTeam: '渠道管理部二组',       // late about twice as often as the others
} as const;

export const COMPLAINT_HEADER = 'complaint_id,channel,severity,category,department,team,handler,first_handler,customer_id,customer_name,customer_phone,customer_segment,is_valid,reopened_count,received_at,registered_at,signed_at,first_response_at,escalated_at,plan_at,resolved_at,feedback_at,survey_at,satisfaction,archived_at,description';
export const EVENT_HEADER = 'complaint_id,at,event,actor,team,detail';
// The appeals are written as a Chinese system writes them: Chinese headers and decisions.
export const APPEAL_HEADER = '工单编号,申诉事项,申诉时间,审核时间,审核结果,申诉理由';

// ---------------------------------------------------------------- reference data
const CHANNELS = ['phone', 'counter', 'letter', 'app', 'web', 'online_chat', 'email', 'social_media'];
const CHANNEL_W = [30, 11, 4, 17, 8, 14, 5, 11]; // online 55%, phone the largest single channel
const LETTER = 2;

// [category, owning department index, two description templates]; order = Pareto rank.
const CATEGORIES: [string, number, string, string][] = [
  ['话费争议', 0, '用户对本月话费金额有异议，要求核查扣费明细', '用户反映话费突然增加，怀疑存在乱收费'],
  ['网络质量', 1, '用户反映家中上网速度慢，视频经常卡顿', '用户称晚间高峰期网络频繁掉线'],
  ['宽带故障', 1, '用户宽带无法连接，光猫指示灯异常', '用户反映宽带断网已超过两天仍未修复'],
  ['服务态度', 0, '用户投诉客服人员态度生硬，未耐心解答问题', '用户反映营业员服务不耐烦，要求道歉'],
  ['营业厅排队', 4, '用户反映营业厅排队时间过长，窗口开放不足', '用户称取号后等待一个多小时仍未办理'],
  ['套餐变更', 2, '用户申请变更套餐后未按约定生效', '用户反映套餐被擅自变更，要求恢复原套餐'],
  ['账单错误', 0, '用户账单显示的流量与实际使用不符', '用户反映账单重复扣费，要求退还差额'],
  ['退款延迟', 0, '用户申请退款已超过约定期限仍未到账', '用户反映销户后余额迟迟未退回'],
  ['信号覆盖', 1, '用户反映小区室内手机信号弱，通话断续', '用户称新搬入地址无信号，要求增设基站'],
  ['携号转网', 4, '用户办理携号转网受阻，要求说明原因', '用户反映携转授权码获取困难'],
  ['积分兑换', 2, '用户积分兑换的礼品迟迟未发货', '用户反映积分被无故清零'],
  ['增值业务扣费', 2, '用户反映被订购未经同意的增值业务并扣费', '用户要求退订增值业务并退还费用'],
  ['发票问题', 3, '用户申请开具的电子发票信息有误', '用户反映发票迟迟未开具，影响报销'],
  ['装机延误', 1, '用户预约的宽带装机超过约定时间仍未上门', '用户反映装机人员多次改约'],
  ['维修上门', 1, '用户反映维修人员未按预约时间上门', '用户称维修后故障仍未排除'],
  ['隐私泄露', 0, '用户怀疑个人信息被泄露，频繁接到推销电话', '用户反映他人能查询到其通话记录'],
  ['营销骚扰', 2, '用户反映频繁收到营销短信，退订无效', '用户投诉营销电话过多，要求加入免打扰'],
  ['合约争议', 3, '用户对合约期违约金有异议', '用户反映签约时未告知合约期限制'],
  ['实名登记', 4, '用户反映号码实名信息与本人不符', '用户称实名认证反复失败无法办理业务'],
  ['国际漫游', 0, '用户出境后漫游资费与宣传不符', '用户反映境外无法使用数据漫游'],
  ['设备故障', 1, '用户反映租用的机顶盒频繁死机', '用户称光猫更换后仍然故障'],
  ['网上营业厅', 4, '用户反映网上营业厅无法办理业务，页面报错', '用户称网上营业厅订单状态长期未更新'],
  ['APP登录', 4, 'APP登录时验证码收不到，无法进入', '用户反映APP升级后无法登录账户'],
  ['投诉处理不满', 0, '用户对前次投诉的处理结果不满意', '用户反映前次投诉后无人回访'],
];
const CAT_W = CATEGORIES.map((_, i) => Math.pow(i + 1, -0.75)); // top 5 ≈ 49% of volume

// The org chart is fixed (not seed-dependent), so policies and tests can name teams.
const DEPTS: [string, number[]][] = [
  ['客服中心', [8, 7, 6, 6]], ['网络运维部', [6, 5, 5]], ['市场营销部', [5, 4]], ['政企客户部', [4, 4]], ['渠道管理部', [6, 5, 4]],
];
const SURNAMES = '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文';
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂华玉萍鹏飞鑫波斌宇浩凯俊帆晨欣怡涵轩桐琪远燕梅国丹婷红东辉林峰琳颖雪慧莉健亮博文婧瑶蕾倩楠晶佳琦';
const NUM_CN = ['一', '二', '三', '四'];
const PAUSE_REASONS = ['等待用户补充材料', '等待用户预约上门时间', '等待第三方核实', '用户要求暂缓处理', '等待用户确认方案'];
const RETURN_REASONS = ['非本部门职责，退回重派', '派单信息不全，退回补充'];
const APPEAL_REASONS: Record<'verdict' | 'whole', string[]> = {
  verdict: ['用户预约时间晚于办理时限', '系统故障导致超时', '用户要求延后处理'],
  whole: ['客户诉求不合理', '恶意投诉', '重复投诉'],
};

export interface DemoTeam { name: string; dept: number; director: string; handlers: string[] }
/** The demo organisation: 5 departments, 14 teams (`客服中心一组` …), 4–8 handlers each, one 主任 per department. */
export const DEMO_ORG: { departments: string[]; directors: string[]; teams: DemoTeam[] } = (() => {
  const rng = sfc32(7), used = new Set<string>();
  const person = () => { for (;;) { const n = personName(rng(), rng(), rng()); if (!used.has(n)) { used.add(n); return n; } } };
  const directors = DEPTS.map(() => person());
  const teams: DemoTeam[] = [];
  DEPTS.forEach(([dept, sizes], d) => sizes.forEach((size, k) =>
    teams.push({ name: dept + NUM_CN[k] + '组', dept: d, director: directors[d], handlers: Array.from({ length: size }, person) })));
  return { departments: DEPTS.map((x) => x[0]), directors, teams };
})();
const TEAMS_OF = DEMO_ORG.departments.map((_, d) => DEMO_ORG.teams.map((t, i) => (t.dept === d ? i : -1)).filter((i) => i >= 0));

function personName(a: number, b: number, c: number): string {
  // Common surnames are much more frequent (a^1.6 skews towards the head of the list).
  const s = SURNAMES[Math.floor(Math.pow(a, 1.6) * SURNAMES.length)];
  const g1 = GIVEN[Math.floor(b * GIVEN.length)];
  return c < 0.35 ? s + g1 : s + g1 + GIVEN[Math.floor(c * 997) % GIVEN.length];
}

// ---------------------------------------------------------------- randomness
/** sfc32: small, fast, good-quality 32-bit PRNG; returns floats in [0, 1). */
function sfc32(seed: number): () => number {
  let a = 0x9e3779b9, b = 0x243f6a88, c = 0xb7e15162, d = seed >>> 0;
  const next = () => {
    a |= 0; b |= 0; c |= 0; d |= 0;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0; a = b ^ (b >>> 9); b = (c + (c << 3)) | 0; c = (c << 21) | (c >>> 11); c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 15; i++) next();
  return next;
}
/** Stateless 32-bit hash → [0, 1): customer attributes are a pure function of the customer number. */
function hashU(n: number, salt: number): number {
  let h = (Math.imul(n | 0, 0x9e3779b1) ^ salt) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b); h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35); h ^= h >>> 16;
  return (h >>> 0) / 4294967296;
}
function cumulative(w: number[]): Float64Array {
  const c = new Float64Array(w.length); let s = 0; const t = w.reduce((x, y) => x + y, 0);
  w.forEach((x, i) => { s += x; c[i] = s / t; });
  c[w.length - 1] = 1;
  return c;
}
function pick(cum: Float64Array, u: number): number { let i = 0; while (u >= cum[i]) i++; return i; }
const CHANNEL_CUM = cumulative(CHANNEL_W), CAT_CUM = cumulative(CAT_W);

// ---------------------------------------------------------------- dates without Date
function daysFromCivil(y: number, m: number, d: number): number { // Howard Hinnant's algorithm
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400), yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  return era * 146097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719468;
}
function civilFromDays(z: number): string {
  z += 719468;
  const era = Math.floor(z / 146097), doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100)), mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1, m = mp < 10 ? mp + 3 : mp - 9, y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}
export function parseDay(s: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) throw new Error(`not a YYYY-MM-DD date: ${s}`);
  return daysFromCivil(+m[1], +m[2], +m[3]);
}
export function parseLocal(s: string): number {
  const m = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(s);
  if (!m) throw new Error(`not a local 'YYYY-MM-DD HH:MM:SS' time: ${s}`);
  return parseDay(m[1]) * 86400 + (+(m[2] ?? 0)) * 3600 + (+(m[3] ?? 0)) * 60 + (+(m[4] ?? 0));
}
let TIMES: string[] | undefined; // 'HH:MM:SS' for every second of the day, built once (~86k short strings)
function timesOfDay(): string[] {
  if (TIMES) return TIMES;
  const p2 = Array.from({ length: 60 }, (_, i) => (i < 10 ? '0' : '') + i);
  TIMES = new Array(86400);
  for (let s = 0; s < 86400; s++) TIMES[s] = p2[Math.floor(s / 3600)] + ':' + p2[Math.floor(s / 60) % 60] + ':' + p2[s % 60];
  return TIMES;
}

// ---------------------------------------------------------------- the working calendar
const H = 3600, WDAY = 8 * H; // 09:00–12:00 + 13:00–18:00
const NEVER = Infinity;       // "has not happened": propagates through arithmetic and comparisons

/** Per-day table: working or not, cumulative working seconds, the list of working days. */
function buildCalendar(day0: number, len: number) {
  const work = new Uint8Array(len), cum = new Float64Array(len + 1), wdUpTo = new Int32Array(len + 1);
  const dayStr: string[] = [], nd: boolean[] = [], workdays: number[] = [];
  let ndFirst = -1, ndLast = -1;
  for (let i = 0; i < len; i++) {
    const ds = civilFromDays(day0 + i); dayStr.push(ds + ' ');
    let w: boolean, name = '';
    try { w = cn.isWorkday(ds); name = cn.getDayDetail(ds).name; } catch { const dow = (day0 + i + 4) % 7; w = dow !== 0 && dow !== 6; }
    work[i] = w ? 1 : 0; cum[i + 1] = cum[i] + (w ? WDAY : 0); wdUpTo[i + 1] = wdUpTo[i] + (w ? 1 : 0);
    if (w) workdays.push(i);
    if (name.startsWith('National Day')) { if (ndFirst < 0) ndFirst = i; ndLast = i; }
    nd.push(false);
  }
  // "National Day weeks": from a few days before the first 国庆 day to the day after the last
  // (2025: 09-26 … 10-12, make-up days included). Staff on leave → service markedly worse.
  if (ndFirst >= 0) for (let i = Math.max(0, ndFirst - 2); i <= Math.min(len - 1, ndLast + 1); i++) nd[i] = true;
  const t0 = day0 * 86400;

  /** Working position of local time t: working seconds from the table start up to t. */
  const wpos = (t: number): number => {
    const i = Math.floor((t - t0) / 86400);
    if (!(i < len)) return NEVER;
    if (!work[i]) return cum[i];
    const s = t - t0 - i * 86400;
    return cum[i] + (s < 9 * H ? 0 : s < 12 * H ? s - 9 * H : s < 13 * H ? 3 * H : s < 18 * H ? s - 10 * H : WDAY);
  };
  /** Inverse of wpos: the earliest local time with working position p (lands inside working hours). */
  const fromWpos = (p: number): number => {
    if (!(p <= cum[len])) return NEVER;
    p = Math.floor(p);
    let lo = 0, hi = len - 1; // largest i with cum[i] < p
    while (lo < hi) { const mid = (lo + hi + 1) >> 1; if (cum[mid] < p) lo = mid; else hi = mid - 1; }
    const off = p - cum[lo];
    return t0 + lo * 86400 + (off <= 3 * H ? 9 * H + off : 10 * H + off);
  };
  /** "Within n working days" (Civil Code art. 201): start day excluded, deadline 18:00 of the
   *  n-th working day after; returned as a working position (= end of that day's work). */
  const wdDeadline = (t: number, n: number): number => {
    const i = Math.floor((t - t0) / 86400);
    if (!(i < len)) return NEVER;
    const k = wdUpTo[i + 1] + n - 1;
    return k < workdays.length ? cum[workdays[k] + 1] : NEVER;
  };
  const fmt = (t: number): string => {
    if (t === NEVER) return '';
    const d = Math.floor(t / 86400), i = d - day0;
    return (i >= 0 && i < len ? dayStr[i] : civilFromDays(d) + ' ') + timesOfDay()[t - d * 86400];
  };
  return { work, nd, dayStr, wpos, fromWpos, wdDeadline, fmt };
}

// ---------------------------------------------------------------- output plumbing
/** Buffered CSV writer: one write() per ~64 KB, and waits for 'drain' when the stream says so. */
class Out {
  private s: WriteStream; buf = ''; bytes = 0;
  // The exports carry (made-up) names and phones, as real ones do: owner-only, like every file Pledge writes.
  constructor(readonly path: string, header: string) {
    const fd = openSync(path, 'w', 0o600);
    fchmodSync(fd, 0o600);   // an existing file keeps its mode otherwise
    this.s = createWriteStream(path, { fd });
    this.buf = header + '\n';
  }
  async flush(): Promise<void> {
    if (!this.buf) return;
    this.bytes += Buffer.byteLength(this.buf);
    const ok = this.s.write(this.buf); this.buf = '';
    if (!ok) await once(this.s, 'drain');
  }
  async close(): Promise<void> { await this.flush(); this.s.end(); await once(this.s, 'finish'); }
}
const CHUNK = 1 << 16;
const csv = (v: string): string => (/[",\n\r]/.test(v) ? '"' + v.replace(/"/g, '""') + '"' : v);

/** Min-heap of pending flow-log lines keyed by (time, insertion order): a total, deterministic order. */
class EventHeap {
  at: number[] = []; seq: number[] = []; line: string[] = []; private n = 0;
  get size() { return this.at.length; }
  private less(i: number, j: number) { return this.at[i] < this.at[j] || (this.at[i] === this.at[j] && this.seq[i] < this.seq[j]); }
  private swap(i: number, j: number) {
    [this.at[i], this.at[j]] = [this.at[j], this.at[i]]; [this.seq[i], this.seq[j]] = [this.seq[j], this.seq[i]];
    [this.line[i], this.line[j]] = [this.line[j], this.line[i]];
  }
  push(at: number, line: string) {
    let i = this.at.length; this.at.push(at); this.seq.push(this.n++); this.line.push(line);
    while (i > 0) { const p = (i - 1) >> 1; if (!this.less(i, p)) break; this.swap(i, p); i = p; }
  }
  pop(): string {
    const top = this.line[0], last = this.at.length - 1;
    this.swap(0, last); this.at.pop(); this.seq.pop(); this.line.pop();
    for (let i = 0; ;) {
      const l = 2 * i + 1, r = l + 1; let m = i;
      if (l < last && this.less(l, m)) m = l;
      if (r < last && this.less(r, m)) m = r;
      if (m === i) break; this.swap(i, m); i = m;
    }
    return top;
  }
}

// ---------------------------------------------------------------- the generator
// Intraday receipt curves (relative weight per hour): working days peak 09–11 and 14–16.
const HOURS_WORK = cumulative([.3, .2, .15, .1, .1, .2, .5, 1.2, 3, 5.5, 6, 5.5, 3.2, 4.5, 5.5, 5.5, 5, 4.5, 3, 2.5, 2.2, 1.8, 1.1, .6]);
const HOURS_OFF = cumulative([.4, .3, .2, .15, .15, .2, .4, .8, 1.6, 2.6, 3, 3, 2.6, 2.6, 2.8, 2.8, 2.6, 2.4, 2.2, 2.2, 2, 1.6, 1, .6]);

export async function generateDemo(opts: DemoOptions): Promise<DemoResult> {
  const seed = opts.seed ?? DEMO_DEFAULTS.seed, total = opts.complaints ?? DEMO_DEFAULTS.complaints;
  const split = opts.splitBy ?? DEMO_DEFAULTS.splitBy;
  const day0 = parseDay(opts.start ?? DEMO_DEFAULTS.start), dayN = parseDay(opts.end ?? DEMO_DEFAULTS.end);
  if (dayN < day0) throw new Error('end is before start');
  const X = opts.exportAt ? parseLocal(opts.exportAt) : (dayN + 1) * 86400; // export time, local seconds
  const nDays = dayN - day0 + 1;
  // Table covers the period, the export time and a tail for deadlines; beyond it = after export.
  const cal = buildCalendar(day0, Math.max(nDays, Math.floor(X / 86400) - day0 + 1) + 120);
  const { wpos, fromWpos, wdDeadline, fmt } = cal;
  const rng = sfc32(seed), salt = Math.imul(seed, 0x27d4eb2d) >>> 0;
  const expo = (mean: number) => -Math.log(1 - rng()) * mean;
  const ri = (n: number) => Math.floor(rng() * n);
  // Sign-offs and appeals draw from a stream of their own, so every other column keeps the
  // value the same seed gave before the demo had them.
  const side = sfc32(seed ^ 0x5a17e5), sideExpo = (mean: number) => -Math.log(1 - side()) * mean;
  // The appeal window of a verdict at t (policy appeals.window, 5wd in data/policy.yaml), as working
  // positions: from the start of the next month to close of business of its 5th working day.
  const appealWindow = (t: number) => {
    const d = fmt(t), y = +d.slice(0, 4), m = +d.slice(5, 7), next = m === 12 ? daysFromCivil(y + 1, 1, 1) : daysFromCivil(y, m + 1, 1);
    return { opens: wpos(next * 86400), closes: wdDeadline((next - 1) * 86400 + 12 * H, 5) };
  };
  const appealRows: { at: number; line: string }[] = [];
  const badMonth = DEMO_DEFAULTS.badMonth, weakTeam = DEMO_ORG.teams.findIndex((t) => t.name === DEMO_DEFAULTS.weakTeam);

  // Daily volumes: fewer on weekends and holidays, a Monday and after-holiday backlog bump, a
  // busier summer. Cumulative rounding makes the total exactly `complaints`.
  const dw = new Float64Array(nDays);
  for (let i = 0; i < nDays; i++) {
    const dow = (day0 + i + 4) % 7, month = cal.dayStr[i].slice(5, 7);
    let w = cal.work[i] ? (dow === 1 ? 1.12 : dow === 0 || dow === 6 ? 0.9 : 1) : (dow === 0 || dow === 6 ? 0.5 : 0.4);
    if (cal.nd[i] && !cal.work[i]) w *= 0.85;
    if (cal.work[i] && i > 0 && !cal.work[i - 1] && i > 2 && !cal.work[i - 3]) w *= 1.25; // after ≥3 days off
    if (month === '07' || month === '08') w *= 1.08;
    dw[i] = w;
  }
  const wsum = dw.reduce((a, b) => a + b, 0);

  mkdirSync(opts.outDir, { recursive: true, mode: 0o700 });
  chmodSync(opts.outDir, 0o700);
  const complaintFiles: string[] = [], eventFiles: string[] = [];
  let cOut: Out | undefined, eOut: Out | undefined, cKey = '', eKey = '', bytes = 0, nC = 0, nE = 0;
  const fileFor = (kind: string, key: string) => join(opts.outDir, split === 'none' ? `${kind}.csv` : `${kind}-${key}.csv`);
  const heap = new EventHeap();
  const flushEvents = async (before: number) => {
    while (heap.size && heap.at[0] < before) {
      const at = heap.at[0], key = split === 'none' ? '' : fmt(at).slice(0, 7);
      if (!eOut || key !== eKey) {
        if (eOut) { await eOut.close(); bytes += eOut.bytes; }
        eOut = new Out(fileFor('events', key), EVENT_HEADER); eKey = key; eventFiles.push(eOut.path);
      }
      eOut.buf += heap.pop(); nE++;
      if (eOut.buf.length > CHUNK) await eOut.flush();
    }
  };

  // Repeat customers: a ring of recent (customer, category) pairs for same-category repeats.
  const RING = 1 << 16, ringCust = new Int32Array(RING), ringCat = new Uint8Array(RING);
  let ringN = 0, custCount = 0;
  const recentWindow = Math.max(20, Math.min(RING, Math.round((total / nDays) * 14))); // ≈ last two weeks

  let cumW = 0, done = 0;
  for (let di = 0; di < nDays; di++) {
    cumW += dw[di];
    const target = Math.round((cumW / wsum) * total), cnt = target - done; done = target;
    const dayT = (day0 + di) * 86400, hours = cal.work[di] ? HOURS_WORK : HOURS_OFF;
    const times = new Float64Array(cnt);
    for (let j = 0; j < cnt; j++) times[j] = dayT + pick(hours, rng()) * H + ri(H);
    times.sort();
    const monthKey = cal.dayStr[di].slice(0, 7), inBad = monthKey === badMonth, inND = cal.nd[di];

    for (let j = 0; j < cnt; j++) {
      const R = times[j];
      if (R > X) break;
      const id = 'C' + String(++nC).padStart(7, '0');
      const ch = pick(CHANNEL_CUM, rng()), sv = rng(), sev = sv < 0.85 ? 0 : sv < 0.95 ? 1 : 2; // general, major, urgent
      // Customer: 6% recent customer again in the same category (repeat complaint), 9% an older
      // customer about anything, 85% a new customer.
      const cu = rng();
      let cust: number, cat: number;
      if (cu < 0.06 && ringN > 0) {
        const k = (ringN - 1 - ri(Math.min(ringN, recentWindow))) & (RING - 1); cust = ringCust[k]; cat = ringCat[k];
      } else {
        cust = cu < 0.15 && custCount > 0 ? ri(custCount) : custCount++;
        cat = pick(CAT_CUM, rng());
      }
      ringCust[ringN & (RING - 1)] = cust; ringCat[ringN & (RING - 1)] = cat; ringN++;
      const dept = rng() < 0.8 ? CATEGORIES[cat][1] : ri(DEPTS.length);
      const team = TEAMS_OF[dept][ri(TEAMS_OF[dept].length)], handler = DEMO_ORG.teams[team].handlers[ri(DEMO_ORG.teams[team].handlers.length)];
      const urgent = sev === 2, major = sev === 1;
      // Late probability multiplier: major, letters, the weak team and the National Day weeks are worse.
      const mult = (major ? 1.5 : urgent ? 1.2 : 1) * (ch === LETTER ? 1.6 : 1) * (team === weakTeam ? 2.2 : 1) * (inND ? 3.5 : 1);
      const late = (base: number) => rng() < Math.min(0.7, base * mult);
      const Rp = wpos(R);
      // Signed for (签收) by the unit handling it: within 30 calendar minutes of receipt (the sign
      // commitment of data/policy.yaml; units sign round the clock), late as often as this
      // complaint's other clocks.
      const signed = R + (side() < Math.min(0.7, 0.04 * mult) ? 1801 + Math.floor(sideExpo(H)) : 30 + Math.floor(side() * side() * 1770));

      // registered: 24 calendar hours (urgent 1 h)
      let reg: number;
      // (A late registration drags the first response late too, so both bases are set lower.)
      if (late(0.035)) reg = R + (urgent ? H : 24 * H) + 1 + Math.floor(expo(urgent ? H : 8 * H));
      else if (ch === LETTER) reg = Math.min(fromWpos(Rp + 60 + rng() * rng() * 3 * H), R + 60 + ri(23 * H)); // mail room, working hours or duty desk
      else reg = R + (urgent ? 20 + ri(280) : 20 + Math.floor(rng() * rng() * 5400));
      // first response: 4 working hours (urgent: 15 minutes, drawn in calendar time, which also meets a working clock)
      let fr: number;
      const frLate = late(0.05);
      if (urgent) fr = R + (frLate ? 901 + Math.floor(expo(1800)) : 60 + ri(840));
      else fr = fromWpos(Rp + (frLate ? 4 * H + 1 + expo(6 * H) : 60 + rng() * rng() * (4 * H - 60)));
      if (fr < reg) fr = reg + 30 + ri(600);
      // escalated to the responsible leader: ~90% of major/urgent, within 2 calendar hours
      const esc = sev > 0 && rng() < 0.9 ? R + (late(0.07) ? 7201 + Math.floor(expo(4 * H)) : 300 + ri(6900)) : NEVER;

      // plan: 3 working days (major 5, urgent 1), possibly extended; drawn as working positions.
      const planN = urgent ? 1 : major ? 5 : 3, Dp = wdDeadline(R, planN);
      const hasExt = rng() < 0.02, extN = rng() < 0.5 ? 3 : 5, extAfter = rng() < 0.15;
      const DpEff = hasExt ? wdDeadline(R, planN + extN) : Dp;
      const frP = wpos(fr), planLate = late(0.06);
      let planP = planLate ? DpEff + 1 + expo(8 * H) * (rng() < 0.1 ? 6 : 1)
        : hasExt && frP < Dp ? Dp + 1 + rng() * (DpEff - Dp - 1) // needed the extension
          : frP + rng() * Math.max(60, DpEff - frP);
      planP = Math.max(planP, frP + 60);
      // pause (挂起): 6% once, before the plan or the resolution, 1 working hour – 3 working days.
      // Every later stage moves by the pause, so discounting it restores the drawn status.
      const hasPause = rng() < 0.06, pauseBeforePlan = rng() < 0.5, pauseW = Math.floor(H * Math.exp(rng() * Math.log(24)));
      const neverResumed = hasPause && rng() < 0.05, pauseReason = PAUSE_REASONS[ri(PAUSE_REASONS.length)];
      let pauseP = NEVER, shift = 0;
      if (hasPause && pauseBeforePlan) { pauseP = frP + 1 + rng() * (planP - frP - 1); shift = pauseW; planP += pauseW; }
      if (neverResumed && pauseBeforePlan) planP = NEVER;
      // resolved: 15 working days
      const Dr = wdDeadline(R, 15) + shift, resLate = late(0.05);
      let resP = resLate ? Dr + 1 + expo(16 * H) * (rng() < 0.1 ? 5 : 1) : planP + rng() * rng() * Math.max(0, Dr - planP);
      resP = Math.max(resP, planP + 60);
      if (hasPause && !pauseBeforePlan) { pauseP = planP + 1 + rng() * (resP - planP - 1); resP = neverResumed ? NEVER : resP + pauseW; }
      const plan = fromWpos(planP), res = fromWpos(resP);
      // feedback: 24 calendar hours after resolution
      const fbLate = late(0.06), fb = res + (fbLate ? 24 * H + 1 + Math.floor(expo(12 * H)) : 60 + Math.floor(rng() * rng() * 86300));
      // survey (回访): ~80% of feedbacks, within 3 working days of the feedback
      const surveyed = rng() < 0.8, svLate = late(0.07), fbP = wpos(fb), Ds = wdDeadline(fb, 3);
      let survey = surveyed ? fromWpos(svLate ? Ds + 1 + expo(8 * H) : fbP + 1 + rng() * Math.max(60, Ds - fbP - 1)) : NEVER;
      if (survey < fb) survey = fb + 60;
      // archived: 7 working days after resolution (after the feedback, too)
      const arLate = late(0.08), Da = wdDeadline(res, 7), arFrom = Math.max(resP, fbP);
      let arch = fromWpos(arLate ? Da + 1 + expo(16 * H) : arFrom + 1 + rng() * Math.max(60, Da - arFrom - 1));
      // reopened (重办): ~4% of resolved, after the customer heard the result; rarely twice
      let reopen1 = NEVER, reopen2 = NEVER;
      if (rng() < 0.04) {
        reopen1 = fromWpos(fbP + H + rng() * 2 * WDAY);
        if (rng() < 0.1) reopen2 = fromWpos(wpos(reopen1) + WDAY + rng() * 5 * WDAY);
        const last = reopen2 < NEVER ? reopen2 : reopen1;
        if (arch <= last) arch = fromWpos(wpos(last) + H + rng() * 3 * WDAY);
      }

      // Holder timeline (首问负责制): 15% were first taken by someone in another team, usually the
      // call centre, and transferred (8% of those via a wrong team that returned it).
      let firstTeam = team, first = handler, tTr = NEVER, bounceTeam = -1, tB1 = NEVER, tB2 = NEVER;
      if (rng() < 0.15) {
        firstTeam = dept !== 0 && rng() < 0.8 ? TEAMS_OF[0][ri(TEAMS_OF[0].length)] : ri(DEMO_ORG.teams.length);
        if (firstTeam === team) firstTeam = (team + 1 + ri(DEMO_ORG.teams.length - 1)) % DEMO_ORG.teams.length;
        first = DEMO_ORG.teams[firstTeam].handlers[ri(DEMO_ORG.teams[firstTeam].handlers.length)];
        const regP = wpos(reg), span = Math.max(120, Math.min(planP, pauseP) - regP);
        tTr = fromWpos(regP + 60 + rng() * (span - 60));
        if (rng() < 0.08) {
          bounceTeam = ri(DEMO_ORG.teams.length); // a wrong team: neither the first nor the final one
          while (bounceTeam === team || bounceTeam === firstTeam) bounceTeam = (bounceTeam + 1) % DEMO_ORG.teams.length;
          const a = wpos(tTr); tB1 = fromWpos(regP + 30 + (a - regP - 30) * rng() * 0.5); tB2 = fromWpos(wpos(tB1) + 1 + (a - wpos(tB1) - 1) * rng());
        }
      }
      const holderTeam = (t: number) => (t >= tTr ? team : bounceTeam >= 0 && t >= tB1 && t < tB2 ? bounceTeam : firstTeam);
      const holder = (t: number) => { const k = holderTeam(t); return k === team && t >= tTr ? handler : k === firstTeam ? first : DEMO_ORG.teams[k].handlers[0]; };

      // Nothing after the export time exists yet; a stage missing means every later one is too.
      const cut = (t: number, prev: number) => (t <= X && prev !== NEVER ? t : NEVER);
      const eReg = cut(reg, R), eFr = cut(fr, eReg), ePlan = cut(plan, eFr), eRes = cut(res, ePlan), eFb = cut(fb, eRes);
      const eSv = cut(survey, eFb), eArch = cut(arch, eRes), eEsc = cut(esc, R), eSign = cut(signed, R);
      const nReopen = (reopen1 <= X && eFb !== NEVER ? 1 : 0) + (reopen2 <= X && eFb !== NEVER ? 1 : 0);

      // Flow-log events (only those that happened by the export time).
      const ev = (at: number, event: string, actor: string, teamIdx: number, detail: string) => {
        if (at <= X) heap.push(at, `${id},${fmt(at)},${event},${actor},${DEMO_ORG.teams[teamIdx].name},${csv(detail)}\n`);
      };
      // Registration by the first handler (首问负责制): the log's record of who held it first.
      if (eReg !== NEVER) ev(eReg, 'registered', first, firstTeam, '');
      if (tTr !== NEVER) {
        if (bounceTeam >= 0) {
          ev(tB1, 'transferred', first, bounceTeam, DEMO_ORG.teams[firstTeam].name);
          // A return names the team that gets the complaint back, like a transfer names its receiver.
          ev(tB2, 'returned', DEMO_ORG.teams[bounceTeam].handlers[0], firstTeam, RETURN_REASONS[ri(2)]);
        }
        ev(tTr, 'transferred', first, team, DEMO_ORG.teams[firstTeam].name);
      }
      if (hasPause) {
        const ps = fromWpos(pauseP);
        ev(ps, 'paused', holder(ps), holderTeam(ps), pauseReason);
        if (!neverResumed) { const pe = fromWpos(pauseP + pauseW); ev(pe, 'resumed', holder(pe), holderTeam(pe), ''); }
      }
      if (hasExt) {
        // In time: before the (pause-discounted) plan deadline. After the fact (15%): between it and the plan.
        const dl = Dp + (pauseBeforePlan ? shift : 0);
        const at = extAfter || frP >= dl ? fromWpos(dl + 1 + rng() * Math.max(60, Math.min(planP, dl + 2 * WDAY) - dl - 1))
          : fromWpos(frP + rng() * (dl - frP));
        ev(at, 'extension_approved', DEMO_ORG.teams[holderTeam(at)].director, holderTeam(at), extN + 'wd');
      }
      if (nReopen > 0) ev(reopen1, 'reopened', handler, team, '用户不认可处理结果');
      if (nReopen > 1) ev(reopen2, 'reopened', handler, team, '用户不认可处理结果');
      // Resolved again after the last reopening, before archiving (no draw: the other columns keep their values).
      if (nReopen > 0) { const lastReopen = nReopen > 1 ? reopen2 : reopen1; ev(fromWpos((wpos(lastReopen) + wpos(arch)) / 2), 'resolved', handler, team, '重办后办结'); }

      // Satisfaction: 100 − Gamma(2) deficit; larger when stages were late, reopened,
      // unreasonable (不合理投诉), and in the bad month (received then).
      const valid = rng() >= 0.04;
      let score = '';
      if (eSv !== NEVER) {
        const lateN = (frLate ? 1 : 0) + (planLate ? 1 : 0) + (resLate ? 1 : 0) + (fbLate ? 1 : 0);
        const mean = 9 + 5 * lateN + 14 * nReopen + (inBad ? 6.5 : 0) + (valid ? 0 : 10);
        score = String(Math.max(0, 100 - Math.round((-Math.log((1 - rng()) * (1 - rng())) * mean) / 2)));
      }

      // Appeals (申诉): the unit appeals a few late verdicts (the plan, the resolution) and a few
      // unreasonable complaints as a whole, once the verdict's month is over; most within the
      // window, some after it (ignored, and listed as a finding); decided some working days later.
      const appeal = (what: string, verdictAt: number, reasons: string[]) => {
        if (verdictAt === NEVER) return;
        const w = appealWindow(verdictAt), tooLate = side() < 0.15;
        const filed = fromWpos(tooLate ? w.closes + 1 + side() * 5 * WDAY : w.opens + 1 + side() * Math.max(60, w.closes - w.opens - 1));
        const decided = fromWpos(wpos(filed) + H + side() * 4 * WDAY), approved = side() < 0.6;
        const reason = reasons[Math.floor(side() * reasons.length)];
        if (filed > X) return;
        const [at, decision] = decided <= X ? [fmt(decided), approved ? '通过' : '驳回'] : ['', '审核中'];
        appealRows.push({ at: filed, line: `${id},${what},${fmt(filed)},${at},${decision},${reason}\n` });
      };
      if (planLate && ePlan !== NEVER && side() < 0.05) appeal('initial_plan', fromWpos(DpEff), APPEAL_REASONS.verdict);
      if (resLate && eRes !== NEVER && side() < 0.05) appeal('resolve', fromWpos(Dr), APPEAL_REASONS.verdict);
      if (!valid && side() < 0.06) appeal('整单', R, APPEAL_REASONS.whole);

      // Customer attributes are a pure function of the customer number: stable across repeats.
      const cid = 'CU' + String((cust * 7654321 + (salt % 9999991)) % 10000000).padStart(7, '0'); // a bijection on 7 digits
      const name = personName(hashU(cust, salt), hashU(cust, salt + 1), hashU(cust, salt + 2));
      const phone = '1' + (3 + Math.floor(hashU(cust, salt + 3) * 7)) + String(Math.floor(hashU(cust, salt + 4) * 1e9)).padStart(9, '0');
      const sg = hashU(cust, salt + 5), segment = sg < 0.08 ? 'elderly' : sg < 0.1 ? 'disabled' : sg < 0.15 ? 'vip' : '';
      // Description: free text typed by agents, so sometimes with PII, ASCII commas, quotes, newlines.
      let desc = CATEGORIES[cat][rng() < 0.5 ? 2 : 3];
      const du = rng();
      if (du < 0.01) desc = `用户${name}来电反映：` + desc; else if (du < 0.02) desc += `，联系电话${phone}`;
      const dq = rng();
      if (dq < 0.01) desc += ', 已多次反映未果';
      else if (dq < 0.0125) desc += '。用户原话："再不处理就向工信部投诉"';
      else if (dq < 0.015) desc += '\n补充：用户要求书面答复';

      // Team/handler columns show who holds the complaint at export time.
      const curTeam = holderTeam(X), curHandler = holder(X);
      const line = id + ',' + CHANNELS[ch] + ',' + (sev === 0 ? 'general' : major ? 'major' : 'urgent') + ',' + CATEGORIES[cat][0] + ','
        + DEMO_ORG.departments[DEMO_ORG.teams[curTeam].dept] + ',' + DEMO_ORG.teams[curTeam].name + ',' + curHandler + ',' + first + ','
        + cid + ',' + name + ',' + phone + ',' + segment + ',' + (valid ? 'true' : 'false') + ',' + nReopen + ','
        + fmt(R) + ',' + fmt(eReg) + ',' + fmt(eSign) + ',' + fmt(eFr) + ',' + fmt(eEsc) + ',' + fmt(ePlan) + ',' + fmt(eRes) + ',' + fmt(eFb) + ','
        + fmt(eSv) + ',' + score + ',' + fmt(eArch) + ',' + csv(desc) + '\n';

      const key = split === 'none' ? '' : monthKey;
      if (!cOut || key !== cKey) {
        if (cOut) { await cOut.close(); bytes += cOut.bytes; }
        cOut = new Out(fileFor('complaints', key), COMPLAINT_HEADER); cKey = key; complaintFiles.push(cOut.path);
      }
      cOut.buf += line;
      if (cOut.buf.length > CHUNK) await cOut.flush();
    }
    // Complaints from later days only produce events at or after their receipt: safe to write these.
    await flushEvents(dayT + 86400);
  }
  await flushEvents(NEVER);
  if (!cOut) { cOut = new Out(fileFor('complaints', civilFromDays(day0).slice(0, 7)), COMPLAINT_HEADER); complaintFiles.push(cOut.path); }
  await cOut.close(); bytes += cOut.bytes;
  if (eOut) { await eOut.close(); bytes += eOut.bytes; }
  // The appeals in the order they were filed (a stable sort: ties keep the complaints' order),
  // one file per month of filing. About one per hundred complaints: they fit in memory.
  appealRows.sort((p, q) => p.at - q.at);
  const appealFiles: string[] = [];
  let aOut: Out | undefined, aKey = '';
  for (const r of appealRows) {
    const key = split === 'none' ? '' : fmt(r.at).slice(0, 7);
    if (!aOut || key !== aKey) {
      if (aOut) { await aOut.close(); bytes += aOut.bytes; }
      aOut = new Out(fileFor('appeals', key), APPEAL_HEADER); aKey = key; appealFiles.push(aOut.path);
    }
    aOut.buf += r.line;
  }
  if (aOut) { await aOut.close(); bytes += aOut.bytes; }
  return { complaintFiles, eventFiles, appealFiles, complaints: nC, events: nE, appeals: appealRows.length, bytes, exportedAt: fmt(X) };
}

// ---------------------------------------------------------------- CLI
const GENERATE_ARGS = {
  script: 'data/generate.ts',
  about: 'Writes the seeded demo exports: complaints, their flow log and the appeals, one file per month unless --split none.',
  flags: {
    out: { type: 'string', value: 'dir', required: true, help: 'where the exports are written (created)' },
    seed: { type: 'integer', default: DEMO_DEFAULTS.seed, help: 'seed: the same seed gives byte-identical files' },
    complaints: { type: 'integer', default: DEMO_DEFAULTS.complaints, help: 'complaints to generate' },
    start: { type: 'string', value: 'YYYY-MM-DD', default: DEMO_DEFAULTS.start, check: parseDay, help: 'first day of receipt' },
    end: { type: 'string', value: 'YYYY-MM-DD', default: DEMO_DEFAULTS.end, check: parseDay, help: 'last day of receipt' },
    'export-at': { type: 'string', value: 'time', check: parseLocal, defaultText: 'the day after --end, 00:00:00', help: "when the exports are made, local 'YYYY-MM-DD HH:MM:SS'" },
    split: { type: 'string', value: 'month|none', default: DEMO_DEFAULTS.splitBy, check: oneOf('month', 'none'), help: 'one file per month, or one file of each kind' },
  },
  examples: ['node bin/run-ts.mjs data/generate.ts --out /tmp/demo --complaints 100000 --start 2025-01-01 --end 2025-03-31'],
} as const;

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const { values: a } = parseScriptArgs(GENERATE_ARGS);
  const r = await generateDemo({
    outDir: a.out, seed: a.seed, complaints: a.complaints, start: a.start, end: a.end,
    exportAt: a['export-at'], splitBy: a.split as 'month' | 'none',
  });
  console.log(`wrote ${r.complaints} complaints, ${r.events} events and ${r.appeals} appeals (${r.complaintFiles.length + r.eventFiles.length + r.appealFiles.length} files, ${r.bytes} bytes) to ${a.out}`);
}
