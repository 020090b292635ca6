import { z } from 'zod';
import { loadDataFile } from '../dataFile';
import { Intents, Signals, type Persona, type Signal } from './NluResult';

/** Words (substrings; `*` as elsewhere) and regular expressions that point to one persona, with why. */
const PersonaCues = z.object({
    reason: z.string().min(1),
    words: z.array(z.string().min(1)),
    patterns: z
        .array(z.string().min(1))
        .default([])
        .refine((patterns) => patterns.every(compiles), 'every pattern must be a valid regular expression (u flag)'),
});

export const LexiconFile = z.object({
    escalation: z.record(Signals, z.array(z.string().min(1)).min(1)),
    emotion: z.object({ angry: z.array(z.string().min(1)), upset: z.array(z.string().min(1)) }),
    /**
     * Phrases in which an escalation word means no escalation (人工费 and 工人工资 hold 人工, 人工湖 is a pond), by
     * reason: they are blanked out before that reason's words are looked for.
     */
    escalationExcept: z.object({ reason: z.string().min(1), phrases: z.partialRecord(Signals, z.array(z.string().min(1))) }).optional(),
    /** Words that ask for a person only when the message as a whole is a request for one (物业经理, 负责人 …). */
    handoffHints: z.array(z.string().min(1)),
    /**
     * A demand for someone in charge (叫你们经理出来, 我要找负责人): a verb of calling for a person, then within the same
     * clause a role, asks for a person whatever the grievance around it.
     */
    personDemand: z.object({ reason: z.string().min(1), verbs: z.array(z.string().min(1)).min(1), roles: z.array(z.string().min(1)).min(1) }).optional(),
    /** Plain cues of why an owner will not pay; they settle the cause when the words name exactly one. */
    arrearsCauses: z.object({
        reason: z.string().min(1).optional(),
        misconception: z.array(z.string().min(1)),
        hardship: z.array(z.string().min(1)),
        /** The service named as the ground of a refusal (服务没做好, 修好再交); none → left to the classifier. */
        service_dissatisfaction: z.array(z.string().min(1)).default([]),
    }),
    /**
     * Arrears the classifier reads as something else: an owner's own hardship told with the paying it holds up (a
     * circumstance and a word of not managing to pay), and a plain refusal to pay. Each has the readings it overrides
     * (`over`) and its reason.
     */
    arrearsReading: z
        .object({
            hardship: z.object({
                reason: z.string().min(1),
                circumstances: z.array(z.string().min(1)).min(1),
                cannotPay: z.array(z.string().min(1)).min(1),
                /** Words that make it the general policy question or a late-fee grievance: the classifier decides then. */
                except: z.array(z.string().min(1)),
                over: z.array(Intents).min(1),
            }),
            refusal: z.object({
                reason: z.string().min(1),
                words: z.array(z.string().min(1)).min(1),
                over: z.array(Intents).min(1),
                /** Readings a refusal overrides only when the message asks nothing (不交物业费会停水吗 is a question). */
                overWhenStated: z.array(Intents).default([]),
                /** A refusal only supposed (要是不交, 听说不交钱就…): a question about refusing, not one. */
                except: z.array(z.string().min(1)).default([]),
            }),
            /** Words saying the fee has been paid (交了物业费, 按时交): the fee named to say the service is owed, not withheld. */
            paid: z.object({ reason: z.string().min(1), words: z.array(z.string().min(1)).min(1) }).optional(),
        })
        .optional(),
    /** What an owner says when Linli's answer did not help (the `unhelpful` escalation counter). */
    feedback: z.object({ unhelpful: z.array(z.string().min(1)).min(1) }),
    /** Words of money or paying: arrears ("will not or cannot pay") needs one of them. */
    payment: z.array(z.string().min(1)).min(1),
    /** Words that point back to an earlier ticket or ask how it stands: a status question needs one of them. */
    status: z.object({ reason: z.string().min(1), words: z.array(z.string().min(1)).min(1) }).optional(),
    /**
     * The "now" test of hazard words: an emergency word in one of these groups counts only when the message is about
     * something happening now. Each group has its reason, the phrases in which its words mean no hazard at all
     * (`except`: 热水器打不着火 holds 着火), the cues that make the message hypothetical, past or a question (`notNow`),
     * and the cues that make it now (`now`; `{w}` stands for the hazard word, 停电了). Recall first: a now cue wins
     * over any not-now cue, and without a not-now cue the word counts.
     */
    /** Objects that settle a complaint's category when the fee is only what was wasted (物业费白交了，电梯…). */
    complaintObject: z
        .object({
            reason: z.string().min(1),
            feeWasted: z.array(z.string().min(1)),
            facility: z.array(z.string().min(1)),
            service: z.array(z.string().min(1)),
            /** A worker's own dealings with money (cash, no receipt, a tip asked for): the worker is the object. */
            conduct: z.array(z.string().min(1)).default([]),
        })
        .optional(),
    /**
     * A fault told as a grievance rather than reported: neglect or recurrence (没人修, 三天两头, 修了又坏) makes a
     * complaint about the facility; a habitual fault (老是, 天天) does too unless the owner simply asks for the fix.
     */
    grievance: z
        .object({
            reason: z.string().min(1),
            neglect: z.array(z.string().min(1)).min(1),
            recurring: z.array(z.string().min(1)).min(1),
            request: z.array(z.string().min(1)).min(1),
        })
        .optional(),
    hazardNow: z
        .array(
            z.object({
                reason: z.string().min(1),
                words: z.array(z.string().min(1)).min(1),
                except: z.array(z.string().min(1)).default([]),
                notNow: z.array(z.string().min(1)).default([]),
                now: z.array(z.string().min(1)).default([]),
            }),
        )
        .default([]),
    /**
     * Words of an owner at risk of ending their life: the safety signal, read as an emergency (the owner is the one in
     * danger), where a threat against others in `escalation.safety` makes a complaint.
     */
    selfHarm: z.object({ reason: z.string().min(1), words: z.array(z.string().min(1)).min(1) }),
    /**
     * A few words of thanks, goodbye or hello (3q, 88, 撤了, 哈罗) the classifier is not sure of: a message this short
     * that holds one is that courtesy, not a request Linli cannot help with.
     */
    social: z
        .object({
            reason: z.string().min(1),
            maxChars: z.number().int().positive(),
            thanks_bye: z.array(z.string().min(1)).min(1),
            greeting: z.array(z.string().min(1)).min(1),
        })
        .optional(),
    /** Persona from the writer's words, checked in order: writing for a grandparent (young), elderly, young. */
    persona: z.object({ reason: z.string().min(1), onBehalf: PersonaCues, elderly: PersonaCues, young: PersonaCues }),
});
export type LexiconData = z.infer<typeof LexiconFile>;

type Matcher = (lowerText: string) => boolean;

interface HazardGuard {
    words: Set<string>;
    except: string[];
    notNow: Matcher[];
    now: string[];
}

/** Words that make a message an escalation or show emotion, matched as lower-case substrings. */
export class Lexicon {
    private readonly escalationMatchers: Record<keyof LexiconData['escalation'], Matcher[]>;
    private readonly emotionMatchers: Record<'angry' | 'upset', Matcher[]>;
    private readonly handoffHintMatchers: Matcher[];
    private readonly personDemandMatchers: Matcher[];
    private readonly unhelpfulMatchers: Matcher[];
    private readonly emergencyWords: { word: string; match: Matcher; guards: HazardGuard[] }[];
    private readonly personaMatchers: [Persona, Matcher[]][];
    private readonly selfHarmMatchers: Matcher[];
    private readonly grievanceMatchers: { neglect: Matcher[]; recurring: Matcher[]; request: Matcher[] } | null;
    private readonly escalationExcept: Partial<Record<keyof LexiconData['escalation'], string[]>>;
    private readonly hardshipMatchers: { circumstances: Matcher[]; cannotPay: Matcher[]; except: Matcher[] };
    private readonly refusalMatchers: { words: Matcher[]; except: Matcher[] };
    private readonly paidMatchers: Matcher[];

    constructor(private readonly data: LexiconData) {
        const compile = (words: string[]) => words.map(matcher);
        const guards: HazardGuard[] = data.hazardNow.map((g) => ({
            words: new Set(g.words.map((w) => w.toLowerCase())),
            except: g.except.map((w) => w.toLowerCase()),
            notNow: compile(g.notNow),
            now: g.now.map((w) => w.toLowerCase()),
        }));
        this.emergencyWords = data.escalation.emergency.map((word) => ({
            word: word.toLowerCase(),
            match: matcher(word),
            guards: guards.filter((g) => g.words.has(word.toLowerCase())),
        }));
        this.escalationMatchers = {
            emergency: compile(data.escalation.emergency),
            safety: compile([...data.escalation.safety, ...data.selfHarm.words]),
            legal_threat: compile(data.escalation.legal_threat),
            abuse: compile(data.escalation.abuse),
            requested: compile(data.escalation.requested),
        };
        this.escalationExcept = Object.fromEntries(
            // Longest first, so 被物业告上法院 is blanked whole before 被物业告 could leave 法院 behind.
            Object.entries(data.escalationExcept?.phrases ?? {}).map(([reason, phrases]) => [reason, (phrases ?? []).map((p) => p.toLowerCase()).sort((a, b) => b.length - a.length)]),
        );
        this.emotionMatchers = { angry: compile(data.emotion.angry), upset: compile(data.emotion.upset) };
        const reading = data.arrearsReading;
        this.hardshipMatchers = {
            circumstances: compile(reading?.hardship.circumstances ?? []),
            cannotPay: compile(reading?.hardship.cannotPay ?? []),
            except: compile(reading?.hardship.except ?? []),
        };
        this.refusalMatchers = { words: compile(reading?.refusal.words ?? []), except: compile(reading?.refusal.except ?? []) };
        this.paidMatchers = compile(reading?.paid?.words ?? []);
        this.handoffHintMatchers = compile(data.handoffHints);
        const demand = data.personDemand;
        this.personDemandMatchers = demand ? compile(demand.verbs.flatMap((verb) => demand.roles.map((role) => `${verb}*${role}`))) : [];
        this.unhelpfulMatchers = compile(data.feedback.unhelpful);
        this.grievanceMatchers = data.grievance
            ? { neglect: compile(data.grievance.neglect), recurring: compile(data.grievance.recurring), request: compile(data.grievance.request) }
            : null;
        this.selfHarmMatchers = compile(data.selfHarm.words);
        const cues = (c: z.infer<typeof PersonaCues>): Matcher[] => [
            ...compile(c.words),
            ...c.patterns.map((p) => {
                const pattern = new RegExp(p, 'iu');
                return (lowerText: string) => pattern.test(lowerText);
            }),
        ];
        const persona = data.persona;
        this.personaMatchers = [
            ['young', cues(persona.onBehalf)],
            ['elderly', cues(persona.elderly)],
            ['young', cues(persona.young)],
        ];
    }

    /** The owner speaks of ending their own life. */
    speaksOfSelfHarm(text: string): boolean {
        const lower = text.toLowerCase();
        return this.selfHarmMatchers.some((m) => m(lower));
    }

    /** The writer's persona from the words of one message; `default` when nothing points either way. */
    persona(text: string): Persona {
        const lower = text.toLowerCase();
        for (const [persona, matchers] of this.personaMatchers) if (matchers.some((m) => m(lower))) return persona;
        return 'default';
    }

    /** The owner says the answer did not help ("没用", "答非所问" …). */
    /**
     * The courtesy a short message is (thanks or goodbye before hello, as 谢谢，再见 ends a talk), or null when it is
     * longer than `social.maxChars` letters (symbols and spaces not counted) or holds none of the words.
     */
    courtesy(text: string): 'thanks_bye' | 'greeting' | null {
        const social = this.data.social;
        if (!social) return null;
        const lower = text.toLowerCase();
        if ([...lower.replace(/[\s\p{P}\p{S}]/gu, '')].length > social.maxChars) return null;
        if (social.thanks_bye.some((w) => matcher(w)(lower))) return 'thanks_bye';
        return social.greeting.some((w) => matcher(w)(lower)) ? 'greeting' : null;
    }

    saysUnhelpful(text: string): boolean {
        const lower = text.toLowerCase();
        return this.unhelpfulMatchers.some((m) => m(lower));
    }

    /** The arrears cause the words name, when they name exactly one (hardship or misconception). */
    arrearsCause(text: string): 'misconception' | 'hardship' | 'service_dissatisfaction' | null {
        const named = (['misconception', 'hardship', 'service_dissatisfaction'] as const).filter((cause) => this.data.arrearsCauses[cause].some((w) => text.includes(w)));
        return named.length === 1 ? (named[0] ?? null) : null;
    }

    /**
     * The category a complaint's object gives when the fee is named only as wasted on it, or service when the money
     * is a worker's own dealing (cash without a receipt); null otherwise.
     */
    complaintObject(text: string): 'facility' | 'service' | null {
        const objects = this.data.complaintObject;
        if (objects?.conduct.some((w) => text.includes(w))) return 'service';
        if (!objects || !objects.feeWasted.some((w) => text.includes(w))) return null;
        if (objects.facility.some((w) => text.includes(w))) return 'facility';
        return objects.service.some((w) => text.includes(w)) ? 'service' : null;
    }

    /** The message tells a fault as a grievance (neglected or recurring, or habitual and not simply asked to be fixed). */
    tellsGrievance(text: string): boolean {
        const g = this.grievanceMatchers;
        if (!g) return false;
        const lower = text.toLowerCase();
        if (g.neglect.some((m) => m(lower))) return true;
        return g.recurring.some((m) => m(lower)) && !g.request.some((m) => m(lower));
    }

    /**
     * The arrears reading the words give over the classifier's `reading` (an intent): hardship when the owner names a
     * circumstance of their own and a word of not managing to pay, else a refusal to pay; null when neither applies.
     * `asks`: the message asks something, so a refusal word may be part of a question about refusing.
     */
    arrearsOver(text: string, reading: string, asks = true): 'hardship' | 'refusal' | null {
        const rules = this.data.arrearsReading;
        if (!rules) return null;
        const lower = text.toLowerCase();
        const named = (ms: Matcher[]) => ms.some((m) => m(lower));
        if ((rules.hardship.over as string[]).includes(reading) && named(this.hardshipMatchers.circumstances) && named(this.hardshipMatchers.cannotPay) && !named(this.hardshipMatchers.except)) {
            return 'hardship';
        }
        const over: string[] = asks ? rules.refusal.over : [...rules.refusal.over, ...rules.refusal.overWhenStated];
        return over.includes(reading) && named(this.refusalMatchers.words) && !named(this.refusalMatchers.except) ? 'refusal' : null;
    }

    /**
     * The message says the fee has been paid and holds no refusal, no word of not managing to pay and no circumstance of the owner's own: a complaint
     * naming what the owner paid for, not arrears.
     */
    saysPaidOnly(text: string): boolean {
        const lower = text.toLowerCase();
        const named = (ms: Matcher[]) => ms.some((m) => m(lower));
        return named(this.paidMatchers) && !named(this.refusalMatchers.words) && !named(this.hardshipMatchers.cannotPay) && !named(this.hardshipMatchers.circumstances);
    }

    /** The message touches money or paying at all. */
    mentionsPayment(text: string): boolean {
        return this.data.payment.some((w) => text.includes(w));
    }

    /** The message points back to an earlier ticket or asks how one stands (true when no status words are given). */
    mentionsStatus(text: string): boolean {
        const lower = text.toLowerCase();
        return this.data.status?.words.some((w) => lower.includes(w)) ?? true;
    }

    hintsHandoff(text: string): boolean {
        const lower = text.toLowerCase();
        return this.handoffHintMatchers.some((m) => m(lower));
    }

    static fromFile(file: string): Lexicon {
        return new Lexicon(loadDataFile(file, LexiconFile));
    }

    /** Escalation reasons found in the text, most serious first. */
    escalations(text: string): Signal[] {
        const lower = text.toLowerCase();
        const order: (keyof LexiconData['escalation'])[] = ['emergency', 'safety', 'legal_threat', 'abuse', 'requested'];
        return order.filter((reason) => {
            if (reason === 'emergency') return this.hazard(lower).now;
            const rest = blankOut(lower, this.escalationExcept[reason]);
            if (reason === 'requested' && this.personDemandMatchers.some((m) => m(rest))) return true;
            return this.escalationMatchers[reason].some((m) => m(rest));
        });
    }

    /**
     * Whether the emergency words find a hazard happening now, and whether they found one only said of another time
     * (a question about cutting power, clutter that could catch fire): the classifier's own guess of an emergency is
     * not taken for such a message either.
     */
    hazard(text: string): { now: boolean; notNow: boolean } {
        const lower = text.toLowerCase();
        let notNow = false;
        for (const entry of this.emergencyWords) {
            if (!entry.match(lower)) continue;
            if (entry.guards.length === 0) return { now: true, notNow: false };
            if (entry.guards.every((g) => this.isNow(g, entry.word, entry.match, lower))) return { now: true, notNow: false };
            notNow = true;
        }
        return { now: false, notNow };
    }

    /** The guarded word still stands outside the group's harmless phrases, and the message is about now. */
    private isNow(guard: HazardGuard, word: string, match: Matcher, lower: string): boolean {
        const rest = blankOut(lower, guard.except);
        if (!match(rest)) return false;
        if (guard.now.some((cue) => rest.includes(cue.split('{w}').join(word)))) return true;
        return !guard.notNow.some((m) => m(rest));
    }

    hits(list: 'angry' | 'upset', text: string): number {
        const lower = text.toLowerCase();
        return this.emotionMatchers[list].filter((m) => m(lower)).length;
    }
}

/**
 * Latin words must stand alone ("sb" is not inside "usb"); Chinese words match anywhere. A `*` stands for a few
 * characters of the same clause, so "水管*爆" also finds "水管突然爆了" and "管子半夜爆了" needs no entry of its own.
 */
function matcher(word: string): Matcher {
    const w = word.toLowerCase();
    if (w.includes('*')) {
        const pattern = new RegExp(w.split('*').map(escapeRegExp).join('[^，。！？,.!?；;]{0,6}'));
        return (lowerText) => pattern.test(lowerText);
    }
    if (!/^[a-z0-9]+$/.test(w)) return (lowerText) => lowerText.includes(w);
    const pattern = new RegExp(`(?<![a-z0-9])${w}(?![a-z0-9])`);
    return (lowerText) => pattern.test(lowerText);
}

/** The text with each phrase replaced by a clause break, so no word is found inside it or across it. */
function blankOut(lowerText: string, phrases: string[] | undefined): string {
    let rest = lowerText;
    for (const phrase of phrases ?? []) if (rest.includes(phrase)) rest = rest.split(phrase).join('|');
    return rest;
}

function compiles(pattern: string): boolean {
    try {
        new RegExp(pattern, 'iu');
        return true;
    } catch {
        return false;
    }
}

function escapeRegExp(text: string): string {
    return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
