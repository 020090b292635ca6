import { createRequire } from 'node:module';
import type * as RecognizersText from '@microsoft/recognizers-text-suite';

const lazyRequire = createRequire(__filename);

export interface Address {
    building?: string;
    unit?: string;
    floor?: string;
    room?: string;
}

export interface Entities {
    phones: string[];
    /** Resolved dates and times (ISO-like strings as Recognizers-Text gives them), with the words they came from. */
    times: { text: string; values: string[] }[];
    money: { text: string; amount: number; unit: string }[];
    address: Address | null;
    surname: string | null;
}

// Recognizers-Text costs ~0.2 s to load and ~0.3 s to build its Chinese models on first use, and about 0.3 ms a call
// plus more the longer the text (each of its hundreds of patterns scans the whole of it): it is loaded on first need,
// only asked when the message has the kind of words it resolves, and given only the stretches around those words.
const DATE_CUES = /今天|明天|后天|昨天|前天|周[一二三四五六日天末]|星期|礼拜|上午|下午|晚上|早上|中午|傍晚|凌晨|[0-9一二三四五六七八九十两]+点|[0-9一二三四五六七八九十]+[号日](?!楼)|[0-9一二三四五六七八九十]+月|\d{1,2}[:：]\d{2}|[上下这本]个?(?:月|周|星期|礼拜)|[去今明前后]年|[0-9一二三四五六七八九十两半]+个?(?:年|月|星期|礼拜|周|天)[以之]?前|[春夏秋冬][天季]|[月年][底初末]/;
const DATE_CUES_ALL = new RegExp(DATE_CUES.source, 'g');
/**
 * Characters kept on each side of a time word: enough for what qualifies it (下周三, 大后天, 三点半以后, 从九月开始,
 * 5月3号到5号). On the training sentences this keeps every date and time the whole text gives and drops durations
 * (两个月, 半天) and bare 早/晚, which no flow asks for, at about a third of the cost on long messages.
 */
const TIME_CONTEXT = 4;
/** What follows 一点 when it is the hour: 一点钟, 一点半, 一点前, 一点以后, 一点左右, 一点到两点, 一点过, 一点十分. */
const ONE_OCLOCK = /^(?:[钟半前后左到过]|以[前后]|[0-9一二三四五六七八九十]+分)/;
const MONEY_CUES = /[0-9一二三四五六七八九十两百千万]+\s*(?:元|块|圆|¥|￥)|[¥￥]\s*\d|[0-9一二三四五六七八九十两]+[百千万]/;
const PHONE = /(?<!\d)(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?!\d)|(?<!\d)0\d{2,3}-?\d{7,8}(?!\d)/g;

const NUM = '[0-9一二三四五六七八九十两]+';
const BUILDING = new RegExp(`(${NUM}|[A-Za-z])\\s*(?:号楼|栋|幢|座)`);
const UNIT = new RegExp(`(${NUM})\\s*单元`);
const FLOOR = new RegExp(`(${NUM})\\s*(?:楼|层)(?!道|下|上|梯)`);
const ROOM = /(?:单元|栋|幢|座|号楼)\s*-?\s*(\d{3,4})(?:室|房|号)?|(\d{3,4})\s*(?:室|房)/;
const SURNAME = /(?:我姓|本人姓|免贵姓)(\p{Script=Han})|(?:我是|叫我)(?:老|小)?(\p{Script=Han})(?:先生|女士|阿姨|大爷|大妈|叔|姐|哥)/u;

type Recognizers = typeof RecognizersText;

/** Phones, dates and times, money, the place inside the estate and the owner's surname, from one message. */
export class EntityExtractor {
    private recognizers: Recognizers | undefined;

    constructor(private readonly clock: () => Date = () => new Date()) {}

    /** `withTimes: false` skips the date model (0.3–1 ms a call) for messages no flow will ask a time of. */
    extract(text: string, withTimes = true): Entities {
        return {
            phones: findPhones(text),
            times: withTimes ? this.times(text) : [],
            money: MONEY_CUES.test(text) ? this.money(text) : [],
            address: parseAddress(text),
            surname: parseSurname(text),
        };
    }

    /** Loads Recognizers-Text and builds its Chinese date model now, away from an owner's turn. */
    warm(): void {
        this.times('明天下午三点');
    }

    private load(): Recognizers {
        // Loaded on first need; see the note above.
        this.recognizers ??= lazyRequire('@microsoft/recognizers-text-suite') as Recognizers;
        return this.recognizers;
    }

    /** Dates and times named in `text` (empty without a time word, so the date model runs only when it can help). */
    times(text: string): Entities['times'] {
        const around = aroundTimeWords(text);
        if (around === '') return [];
        const r = this.load();
        // A bare number ("1502" of a room) resolves as a year: only words that name a time count.
        return r.recognizeDateTime(around, r.Culture.Chinese, undefined, this.clock()).filter((result) => !/^\d+$/.test(result.text)).map((result) => {
            const values = (result.resolution?.values ?? []) as { value?: string; start?: string; end?: string }[];
            return { text: result.text, values: values.map((v) => v.value ?? [v.start, v.end].filter(Boolean).join('/')) };
        });
    }

    private money(text: string): Entities['money'] {
        const r = this.load();
        return r.recognizeCurrency(text, r.Culture.Chinese).flatMap((result) => {
            const resolution = result.resolution as { value?: string; unit?: string } | undefined;
            const amount = Number(resolution?.value);
            return Number.isFinite(amount) ? [{ text: result.text, amount, unit: resolution?.unit ?? '' }] : [];
        });
    }
}

/** The stretches of `text` around its time words (merged where they touch), joined by a comma. */
export function aroundTimeWords(text: string): string {
    const spans: [number, number][] = [];
    for (const m of text.matchAll(DATE_CUES_ALL)) {
        // 一点 is far more often "a little" (一点用都没有, 快一点) than one o'clock; beside a day or a part of the day
        // (明天下午一点) it is inside that word's stretch anyway.
        if (m[0] === '一点' && !ONE_OCLOCK.test(text.slice(m.index + m[0].length))) continue;
        const start = Math.max(0, m.index - TIME_CONTEXT);
        const end = Math.min(text.length, m.index + m[0].length + TIME_CONTEXT);
        const last = spans[spans.length - 1];
        if (last && start <= last[1]) last[1] = Math.max(last[1], end);
        else spans.push([start, end]);
    }
    return spans.map(([start, end]) => text.slice(start, end)).join('，');
}

export function findPhones(text: string): string[] {
    return [...text.matchAll(PHONE)].map((m) => m[0].replace(/[- ]/g, '').replace(/^\+?86/, ''));
}

export function parseAddress(text: string): Address | null {
    const address: Address = {};
    const building = BUILDING.exec(text)?.[1];
    const unit = UNIT.exec(text)?.[1];
    const room = ROOM.exec(text);
    const floor = FLOOR.exec(text)?.[1];
    if (building) address.building = building.toUpperCase();
    if (unit) address.unit = unit;
    if (room) address.room = room[1] ?? room[2];
    if (floor && !room) address.floor = floor;
    return Object.keys(address).length > 0 ? address : null;
}

export function parseSurname(text: string): string | null {
    const match = SURNAME.exec(text);
    return match?.[1] ?? match?.[2] ?? null;
}
