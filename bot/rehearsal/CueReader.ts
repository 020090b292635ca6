import type { EntityExtractor } from '../nlu/EntityExtractor';
import { parseAddress, type Address } from '../nlu/EntityExtractor';
import type { CueFile, QuestionKind, Scenario } from './RehearsalData';
import { WordList, type WordHit } from './WordList';

export type EmpathyLevel = 'specific' | 'feeling' | 'generic' | 'excuse';
export type RestatementLevel = 'checked' | 'unchecked' | 'echo' | 'wrong';
export type TimeLevel = 'concrete' | 'vague' | 'none';
export type FollowUpLevel = 'good' | 'noWhen' | 'passive';

export interface ForbiddenCue {
    phrase: string;
    kind: 'phrase' | 'unsafe';
    why?: string;
}

/** What one trainee turn does, read with Linli's own understanding (lexicons, restatement, the date recogniser). */
export interface TurnCues {
    questions: { kind: QuestionKind; quote: string }[];
    /** Blaming, rushing or arguing words (their quotes). */
    provoking: string[];
    empathy: { level: EmpathyLevel; quote: string } | null;
    restatement: { level: RestatementLevel; quote: string; wrongFact: string | null } | null;
    resolution: { core: boolean; time: TimeLevel; vagueWord: string | null; quote: string | null };
    /** Treatment groups (scenario goal) named in this turn. */
    treatments: string[];
    wrongTreatment: boolean;
    followUp: { level: FollowUpLevel; quote: string } | null;
    forbidden: ForbiddenCue[];
}

interface Sentence {
    text: string;
    start: number;
}

const SENTENCE = /[^。！？!?；;\n]+[。！？!?；;\n]*/g;
const CLAUSE_BREAK = /[，,。！？!?；;\n]/;
const MIN_QUOTE = 4;

/**
 * Reads a trainee's turn the way a trainer would: which of the owner's facts it asks for, whether it sympathises
 * with this owner or recites a formula, whether a restatement matches what the owner said (place, time, object),
 * whether a resolution has a concrete time (Recognizers-Text through the EntityExtractor), and every forbidden
 * phrase or unsafe promise that is not negated or quoted. The simulated owner and the scorer both read turns here.
 */
export class CueReader {
    private readonly lists: {
        feeling: WordList;
        generic: WordList;
        excuse: WordList;
        provoking: WordList;
        questions: [QuestionKind, WordList][];
        questionMarks: WordList;
        markers: WordList;
        strong: WordList;
        checks: WordList;
        vague: WordList;
        concrete: WordList;
        active: WordList;
        passive: WordList;
        when: WordList;
        beforeVisit: WordList;
        negators: WordList;
        excused: WordList;
    };
    private readonly unsafe: { words: WordList; needs: WordList; why: string }[];
    private readonly phrases: string[];
    /** Today as the date recogniser writes it, found once per turn read. */
    private todayValue: string | null = null;

    constructor(
        private readonly cues: CueFile,
        forbiddenPhrases: readonly string[],
        private readonly entities: EntityExtractor,
    ) {
        this.lists = {
            feeling: new WordList(cues.empathy.feeling),
            generic: new WordList(cues.empathy.generic),
            excuse: new WordList(cues.empathy.excuse),
            provoking: new WordList([...cues.blame, ...cues.rush, ...cues.argue]),
            questions: Object.entries(cues.questions).map(([kind, words]) => [kind as QuestionKind, new WordList(words)]),
            questionMarks: new WordList(cues.questionMarks),
            markers: new WordList(cues.restate.markers),
            strong: new WordList(cues.restate.strong),
            checks: new WordList(cues.restate.checks),
            vague: new WordList(cues.resolve.vague),
            concrete: new WordList(cues.resolve.concrete),
            active: new WordList(cues.followUp.active),
            passive: new WordList(cues.followUp.passive),
            when: new WordList(cues.followUp.when),
            beforeVisit: new WordList(cues.followUp.beforeVisit),
            negators: new WordList(cues.negators),
            excused: new WordList(cues.excused),
        };
        this.unsafe = cues.unsafe.map((rule) => ({ words: new WordList(rule.words), needs: new WordList(rule.needs), why: rule.why }));
        // Longest first, so a longer listed phrase is flagged once rather than with the shorter one inside it.
        this.phrases = [...new Set(forbiddenPhrases)].sort((a, b) => b.length - a.length);
    }

    /** A sentence restates the owner's account: a marker with a check (对吗), or a marker that is one on its own (您是说). */
    private restates(sentence: string): boolean {
        return this.lists.strong.test(sentence) || (this.lists.markers.test(sentence) && this.lists.checks.test(sentence));
    }

    /** Whether a turn's words sound like an argument, blame or rush (the owner gets angrier). */
    isProvoking(text: string): boolean {
        return this.lists.provoking.test(text);
    }

    read(text: string, ownerWords: string, scenario: Scenario): TurnCues {
        this.todayValue = null;
        const sentences = splitSentences(text);
        const restating = sentences.filter((s) => this.restates(s.text));
        const plain = sentences.filter((s) => !restating.includes(s));
        const provoking = this.lists.provoking.hits(text).map((h) => h.text);
        const forbidden = [...this.forbiddenPhrases(text, sentences, ownerWords), ...this.unsafePromises(text, restating)];
        return {
            questions: this.questions(plain),
            provoking,
            // Sympathy in a restatement is the owner's own feeling repeated back, not the trainee's.
            empathy: this.empathy(plain, ownerWords),
            restatement: this.restatement(sentences, restating, ownerWords),
            resolution: this.resolution(plain, scenario),
            treatments: scenario.goal.treatment.filter((group) => group.words.some((w) => text.includes(w))).map((group) => group.name),
            // The owner's own words restated (一次交齐实在没办法) are not the trainee's treatment.
            wrongTreatment: plain.some((s) => scenario.goal.wrong.some((w) => s.text.includes(w))),
            followUp: this.followUp(plain),
            forbidden,
        };
    }

    private questions(sentences: Sentence[]): TurnCues['questions'] {
        const found: TurnCues['questions'] = [];
        for (const s of sentences) {
            if (!this.lists.questionMarks.test(s.text)) continue;
            for (const [kind, list] of this.lists.questions) if (list.test(s.text) && !found.some((q) => q.kind === kind)) found.push({ kind, quote: quote(s.text) });
        }
        return found.filter((q) => q.quote.length >= MIN_QUOTE);
    }

    private empathy(sentences: Sentence[], ownerWords: string): TurnCues['empathy'] {
        const rank: Record<EmpathyLevel, number> = { specific: 4, feeling: 3, excuse: 2, generic: 1 };
        let best: TurnCues['empathy'] = null;
        sentences.forEach((s, i) => {
            const generic = this.lists.generic.hits(s.text);
            const feeling = this.lists.feeling.hits(s.text).filter((f) => !generic.some((g) => overlaps(f, g)));
            if (feeling.length === 0 && generic.length === 0) return;
            const next = sentences[i + 1]?.text ?? '';
            let level: EmpathyLevel;
            if (this.lists.excuse.test(s.text) || this.lists.excuse.test(next)) level = 'excuse';
            else if (generic.length > 0 && !this.sharesWords(s.text, ownerWords, this.cues.empathy.specificOverlap + 1)) level = 'generic';
            else if (feeling.length === 0) level = 'generic';
            else level = this.sharesWords(s.text, ownerWords, this.cues.empathy.specificOverlap) ? 'specific' : 'feeling';
            if (!best || rank[level] > rank[best.level]) best = { level, quote: quote(s.text) };
        });
        return best;
    }

    private restatement(sentences: Sentence[], restating: Sentence[], ownerWords: string): TurnCues['restatement'] {
        for (const s of restating) {
            const marker = this.lists.markers.first(s.text);
            const body = marker ? s.text.slice(marker.index) : s.text;
            const wrongFact = this.contradiction(body, ownerWords);
            const checked = this.lists.checks.test(s.text);
            const carried = this.coveredChars(body, ownerWords) >= this.cues.restate.minOverlap;
            if (wrongFact) return { level: 'wrong', quote: quote(s.text), wrongFact };
            if (carried) return { level: checked ? 'checked' : 'unchecked', quote: quote(s.text), wrongFact: null };
        }
        for (const s of sentences) {
            if (restating.includes(s)) continue;
            if (this.coveredChars(s.text, ownerWords) >= this.cues.restate.echoOverlap) {
                const wrongFact = this.contradiction(s.text, ownerWords);
                // The owner's facts given back with a check ("7号楼1单元的电梯昨晚停的，对吗？") restate without a marker.
                const level = wrongFact ? 'wrong' : this.lists.checks.test(s.text) ? 'checked' : 'echo';
                return { level, quote: quote(s.text), wrongFact };
            }
        }
        return null;
    }

    /** The owner's fact a restatement contradicts: another building, unit or room, another room of the flat, another time. */
    private contradiction(restated: string, ownerWords: string): string | null {
        const said = parseAddress(restated);
        if (said) {
            const owned = ownerAddresses(ownerWords);
            const digits = (value: string | undefined) => (value === undefined ? undefined : this.numberOf(value));
            for (const part of ['building', 'unit', 'room'] as const) {
                const value = digits(said[part]);
                const known = owned.filter((a) => a.address[part] !== undefined);
                if (value !== undefined && known.length > 0 && !known.some((a) => digits(a.address[part]) === value)) return known[0]?.clause ?? null;
            }
        }
        for (const groups of Object.values(this.cues.factVocabulary)) {
            const mentioned = groups.filter((g) => g.some((w) => restated.includes(w)));
            const owners = groups.filter((g) => g.some((w) => ownerWords.includes(w)));
            if (owners.length === 0) continue;
            const stray = mentioned.find((g) => !owners.includes(g));
            if (stray) return owners[0]?.find((w) => ownerWords.includes(w)) ?? null;
        }
        return null;
    }

    private resolution(sentences: Sentence[], scenario: Scenario): TurnCues['resolution'] {
        const core = scenario.goal.treatment[0]?.words ?? [];
        const hasCoreAt = (i: number) => core.some((w) => sentences[i]?.text.includes(w) ?? false);
        const hasCore = sentences.some((_, i) => hasCoreAt(i));
        let time: TimeLevel = 'none';
        let vagueWord: string | null = null;
        let quoted: string | null = null;
        for (const [i, s] of sentences.entries()) {
            // The time must be the action's: in its sentence or a neighbouring one ("…前台办。您看明天上午九点半行不行？").
            if (!hasCoreAt(i) && !hasCoreAt(i - 1) && !hasCoreAt(i + 1)) continue;
            const level = this.timeLevel(s.text);
            if (level.time === 'concrete') {
                time = 'concrete';
                quoted = quote(s.text);
                break;
            }
            if (level.time === 'vague' && time === 'none') {
                time = 'vague';
                vagueWord = level.vagueWord;
                quoted = quote(s.text);
            }
        }
        if (hasCore && !quoted) quoted = quote(sentences.find((_, i) => hasCoreAt(i))?.text ?? '');
        return { core: hasCore, time, vagueWord, quote: quoted && quoted.length >= MIN_QUOTE ? quoted : null };
    }

    /** Concrete: a clock time, a named day after today, or a stated span ("一小时内"); vague: 尽快, 等通知, 今天之内 … */
    timeLevel(sentence: string): { time: TimeLevel; vagueWord: string | null } {
        const vague = this.lists.vague.first(sentence);
        if (this.lists.concrete.test(sentence) && !vague) return { time: 'concrete', vagueWord: null };
        const today = this.today();
        let clock = false;
        let halfDay = false;
        let day: string | null = null;
        for (const found of this.entities.times(sentence)) {
            if (this.cues.resolve.notTimes.includes(found.text)) continue;
            for (const value of found.values) {
                const kind = concreteness(value, today);
                if (kind === 'clock') clock = true;
                if (kind === 'halfDay') halfDay = true;
                if (kind === 'day') day ??= found.text;
            }
        }
        if (clock || (halfDay && !vague)) return { time: 'concrete', vagueWord: null };
        if (vague) return { time: 'vague', vagueWord: vague.text };
        // A day without an hour ("明天") leaves the owner waiting all day: the owner asks what time.
        if (day) return { time: 'vague', vagueWord: day };
        return { time: 'none', vagueWord: null };
    }

    private followUp(sentences: Sentence[]): TurnCues['followUp'] {
        let best: TurnCues['followUp'] = null;
        const rank: Record<FollowUpLevel, number> = { good: 3, noWhen: 2, passive: 1 };
        for (const s of sentences) {
            if (this.lists.beforeVisit.test(s.text)) continue;
            let level: FollowUpLevel | null = null;
            if (this.lists.active.test(s.text)) {
                const when = this.lists.when.test(s.text) || this.entities.times(s.text).some((t) => t.values.some((v) => concreteness(v, this.today()) !== 'past'));
                level = when ? 'good' : 'noWhen';
            } else if (this.lists.passive.test(s.text)) level = 'passive';
            if (level && (!best || rank[level] > rank[best.level])) best = { level, quote: quote(s.text) };
        }
        return best && best.quote.length >= MIN_QUOTE ? best : null;
    }

    private forbiddenPhrases(text: string, sentences: Sentence[], ownerWords: string): ForbiddenCue[] {
        const flagged: { start: number; end: number }[] = [];
        const found: ForbiddenCue[] = [];
        for (const phrase of this.phrases) {
            let from = 0;
            for (let at = text.indexOf(phrase, from); at >= 0; at = text.indexOf(phrase, from)) {
                from = at + phrase.length;
                const span = { start: at, end: at + phrase.length };
                if (flagged.some((f) => f.start <= span.start && span.end <= f.end)) continue;
                if (this.negated(text, at) || quoted(text, at) || this.excusedAt(text, at) || this.saidOfOwner(text, at, phrase)) continue;
                const sentence = sentences.find((s) => s.start <= at && at < s.start + s.text.length);
                // Restating the owner: their own words, or a phrase that describes their situation (您是说……实在没办法).
                if (sentence && this.restates(sentence.text) && (ownerWords.includes(phrase) || this.cues.ownerSubject.phrases.includes(phrase))) continue;
                flagged.push(span);
                found.push({ phrase, kind: 'phrase' });
            }
        }
        return found;
    }

    /** Unsafe promises by meaning; a restatement of the owner's own fear (您担心被停水电) is none. */
    private unsafePromises(text: string, restating: Sentence[]): ForbiddenCue[] {
        const found: ForbiddenCue[] = [];
        const sentences = splitSentences(text);
        for (const rule of this.unsafe) {
            for (const hit of rule.words.hits(text)) {
                // A fee context in the same sentence: 停水 to fix a pipe is no threat, 不交就停水 is.
                const sentence = sentences.find((s) => s.start <= hit.index && hit.index < s.start + s.text.length)?.text ?? text;
                if (rule.needs.words.length > 0 && !rule.needs.test(sentence)) continue;
                if (this.negated(text, hit.index) || quoted(text, hit.index)) continue;
                if (restating.some((s) => s.start <= hit.index && hit.index < s.start + s.text.length)) continue;
                const phrase = clauseAround(text, hit);
                if (found.some((f) => f.phrase === phrase)) continue;
                found.push({ phrase, kind: 'unsafe', why: rule.why });
            }
        }
        return found;
    }

    /** A negation earlier in the same clause ("不会因为欠费就停水", "别给师傅钱", "不是说不交就起诉"). */
    private negated(text: string, at: number): boolean {
        return this.lists.negators.test(clausePrefix(text, at));
    }

    /** "您现在一次交齐实在没办法": the owner's situation, with the owner as the clause's subject and no 我们 in it. */
    private saidOfOwner(text: string, at: number, phrase: string): boolean {
        const rule = this.cues.ownerSubject;
        if (!rule.phrases.includes(phrase)) return false;
        const prefix = clausePrefix(text, at);
        return rule.subjects.some((w) => prefix.includes(w)) && !rule.blockers.some((w) => prefix.includes(w));
    }

    private excusedAt(text: string, at: number): boolean {
        return this.lists.excused.hits(text).some((h) => h.index <= at && at < h.index + h.text.length);
    }

    /** A building, unit or room number as digits, whether written 7, 七 or 十二. */
    private numberOf(value: string): string {
        if (/^[0-9A-Z]+$/.test(value)) return value;
        const n = this.cues.numerals;
        const chars = [...value];
        if (chars.some((c) => n[c] === undefined)) return value;
        const ten = chars.findIndex((c) => n[c] === 10);
        if (ten < 0) return chars.map((c) => String(n[c])).join('');
        const tens = ten === 0 ? 1 : (n[chars[ten - 1] ?? ''] ?? 1);
        const ones = ten === chars.length - 1 ? 0 : (n[chars[ten + 1] ?? ''] ?? 0);
        return String(tens * 10 + ones);
    }

    /** Characters of `text` covered by words of two or more characters that the owner also said. */
    coveredChars(text: string, ownerWords: string): number {
        const chars = [...this.withoutCommonWords(text)];
        const covered = new Array<boolean>(chars.length).fill(false);
        for (let i = 0; i < chars.length - 1; i++) {
            for (let len = Math.min(12, chars.length - i); len >= 2; len--) {
                const piece = chars.slice(i, i + len).join('');
                if (piece.includes(' ')) continue;
                if (ownerWords.includes(piece)) {
                    for (let k = i; k < i + len; k++) covered[k] = true;
                    break;
                }
            }
        }
        return covered.filter(Boolean).length;
    }

    /** Whether the text shares a word of at least `min` characters with what the owner said. */
    private sharesWords(text: string, ownerWords: string, min: number): boolean {
        const chars = [...this.withoutCommonWords(text)];
        for (let i = 0; i + min <= chars.length; i++) {
            const piece = chars.slice(i, i + min).join('');
            if (!piece.includes(' ') && ownerWords.includes(piece)) return true;
        }
        return false;
    }

    private withoutCommonWords(text: string): string {
        let out = text;
        for (const word of [...this.cues.restate.commonWords].sort((a, b) => b.length - a.length)) out = out.split(word).join(' ');
        // Lexicon words are the trainee's formula, not the owner's situation.
        for (const hit of [...this.lists.feeling.hits(out), ...this.lists.generic.hits(out)]) out = out.replace(hit.text, ' '.repeat(hit.text.length));
        return out;
    }

    private today(): string {
        this.todayValue ??= (this.entities.times(this.cues.resolve.today)[0]?.values[0] ?? '').slice(0, 10);
        return this.todayValue;
    }
}

function splitSentences(text: string): Sentence[] {
    return [...text.matchAll(SENTENCE)].map((m) => ({ text: m[0], start: m.index })).filter((s) => s.text.trim().length > 0);
}

function quote(text: string): string {
    return text.trim();
}

function overlaps(a: WordHit, b: WordHit): boolean {
    return a.index < b.index + b.text.length && b.index < a.index + a.text.length;
}

function clausePrefix(text: string, at: number): string {
    let start = at;
    while (start > 0 && !CLAUSE_BREAK.test(text[start - 1] ?? '')) start--;
    return text.slice(start, at);
}

/** The clause around a hit, as the quote of an unsafe promise (at least four characters: the sentence if shorter). */
function clauseAround(text: string, hit: WordHit): string {
    let start = hit.index;
    while (start > 0 && !CLAUSE_BREAK.test(text[start - 1] ?? '')) start--;
    let end = hit.index + hit.text.length;
    while (end < text.length && !CLAUSE_BREAK.test(text[end] ?? '')) end++;
    const clause = text.slice(start, end).trim();
    return clause.length >= MIN_QUOTE ? clause : text.trim();
}

/** Inside quotation marks: a listed phrase quoted to disown it. */
function quoted(text: string, at: number): boolean {
    const before = text.slice(0, at);
    const opened = (before.match(/[“「『]/g) ?? []).length - (before.match(/[”」』]/g) ?? []).length;
    const straight = (before.match(/"/g) ?? []).length % 2 === 1;
    return opened > 0 || straight;
}

/** The places the owner named, each with the owner's own clause (what a correction repeats). */
function ownerAddresses(ownerWords: string): { address: Address; clause: string }[] {
    return ownerWords
        .split(/[。！？!?\n，,]/)
        .map((clause) => ({ clause: clause.trim(), address: parseAddress(clause) }))
        .filter((a): a is { address: Address; clause: string } => a.address !== null);
}

/** How concrete one resolved value is: a clock time, part of a day after today, a day after today, loose (下午, 今天) or past. */
function concreteness(value: string, today: string): 'clock' | 'halfDay' | 'day' | 'past' | 'loose' {
    const [from, to] = value.split('/');
    const date = (from ?? '').match(/^\d{4}-\d{2}-\d{2}/)?.[0] ?? null;
    if (date && today && date < today) return 'past';
    const hour = (s: string | undefined) => {
        const m = s?.match(/(\d{2}):(\d{2}):\d{2}$/);
        return m ? Number(m[1]) + Number(m[2]) / 60 : null;
    };
    const start = hour(from);
    const end = hour(to);
    // A point in time, or a span of up to three hours ("九点到十一点"); a half-day ("下午") is loose.
    if (start !== null && (end === null || end - start <= 3)) return 'clock';
    if (date && today && date > today) return start !== null ? 'halfDay' : 'day';
    return 'loose';
}
